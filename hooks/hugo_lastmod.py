"""Honour Hugo's ``lastmod``: the post's "Updated" date on the page and in the updated feed.

Hugo dates a page's last change by ``lastmod`` and falls back to ``date``. Material's blog plugin
knows an update date only as ``date: {created: …, updated: …}``, which Hugo cannot read, and the
RSS plugin reads the one front matter key ``date_from_meta.as_update`` names (``lastmod`` in
mkdocs.yml). So this hook gives each post both: the blog plugin's ``date.updated`` (the page's
"Updated" line, the sitemap's day in content_dates.py) and a ``lastmod`` that falls back to
``date`` as Hugo's does. hugo_front_matter.check_post has checked the value (an unquoted date, not
before ``date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hugo_front_matter import is_post


def as_datetime(value: dt.date) -> dt.datetime:
    """A front matter date as the blog plugin stores dates: a datetime, UTC when no zone is given
    (Material's PostDate does the same for ``date``)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return dt.datetime.combine(value, dt.time(), tzinfo=dt.UTC)


def updated(meta: Mapping[str, Any]) -> dt.datetime | None:
    """The post's ``lastmod`` when it names a later instant than ``date``, else None (Hugo shows
    no update then)."""
    lastmod, date = meta.get("lastmod"), meta.get("date")
    if not isinstance(lastmod, dt.date) or not isinstance(date, dt.date):
        return None
    when = as_datetime(lastmod)
    return when if when > as_datetime(date) else None


def feed_lastmod(meta: Mapping[str, Any]) -> Any:
    """The value the RSS plugin reads as the update date: ``lastmod``, else ``date`` (Hugo's
    fallback; without one the plugin would date the post with the build time)."""
    return meta.get("lastmod", meta.get("date"))


# After the blog plugin (priority -50) has read the posts and their dates.
@event_priority(-60)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    blog = config.plugins.get("material/blog")
    if blog is None or not blog.config.enabled:
        return files
    for post in blog.blog.posts:
        when = updated(post.meta)
        if when is not None:
            post.config.date["updated"] = when
    return files


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if is_post(page.file.src_uri) and "date" in page.meta:
        page.meta["lastmod"] = feed_lastmod(page.meta)
    return markdown
