"""Date the sitemap's pages from the posts, not from the build time.

MkDocs writes each page's ``<lastmod>`` in sitemap.xml (and sitemap.xml.gz's timestamp) from
the day of the build, so two builds of one commit on two days differ, and a build cache could
not be checked against a cold build. Hugo dates a page by its ``lastmod`` front matter, else its
``date``, and a list page by its newest page; so does this hook: a post by its update date (the
RSS plugin's ``as_update``, Hugo's ``lastmod``) or its date, every other page (home, archive,
categories, tags) by the newest post. A site without posts keeps MkDocs' dates.
"""

from __future__ import annotations

import datetime as dt

from jinja2 import Environment
from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files


def post_day(post: Post) -> str:
    """The day a post was last changed, as the sitemap writes it (YYYY-MM-DD)."""
    dates = post.config.date
    updated = dates.get("updated") if hasattr(dates, "get") else None
    when = updated if isinstance(updated, dt.date) else dates.created
    return when.date().isoformat() if isinstance(when, dt.datetime) else when.isoformat()


def lastmod_days(post_days: dict[str, str], other_pages: list[str]) -> dict[str, str]:
    """Each page's sitemap day: a post's own, any other page's the newest post's (none of them
    without posts)."""
    if not post_days:
        return {}
    newest = max(post_days.values())
    return {**dict.fromkeys(other_pages, newest), **post_days}


# After every page is read (front matter known), before the sitemap is written: MkDocs builds
# its static templates (sitemap.xml) right after on_env.
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
    pages = [file.page for file in files.documentation_pages() if file.page is not None]
    posts = {page.file.src_uri: post_day(page) for page in pages if isinstance(page, Post)}
    others = [page.file.src_uri for page in pages if not isinstance(page, Post)]
    days = lastmod_days(posts, others)
    for page in pages:
        page.update_date = days.get(page.file.src_uri, page.update_date)
    return env
