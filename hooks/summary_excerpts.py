"""A post with a ``summary`` is not rendered a second time for the post lists.

Material's blog plugin shows each post in the lists (home, archive, categories) through an
excerpt, and renders that excerpt by converting the post's whole Markdown again, in every list:
for a post, a second Markdown conversion and Pygments pass over every code block, a large part
of a build. Hugo's list page shows the front matter's ``summary`` instead, and so does
overrides/partials/post.html: for a post with a summary, the excerpt's HTML is never shown.

So the excerpt of such a post is made from the post's title and summary only (the same
heading the excerpt starts with, for the table of contents Material may attach to a list).
A post without a summary keeps Material's full excerpt. The site's HTML is the same either way;
tests/site/test_build_cache.py compares the lists' HTML with the summary-less rendering.
"""

from __future__ import annotations

from typing import Any

from material.plugins.blog.structure import Excerpt, Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page


def summary_markdown(title: str, summary: object) -> str | None:
    """What a list shows of a post with this front matter ``summary``, as Markdown (None: no
    summary, the whole post is the excerpt)."""
    if not isinstance(summary, str) or not summary.strip():
        return None
    return f"# {title}\n\n{summary.strip()}"


class _SummaryOnly:
    """The post as its excerpt reads it (markdown, title, url...), with the summary as Markdown.

    Material's ``Excerpt.render`` reads ``self.post.markdown`` when a list is rendered; every
    other attribute is the post's own.
    """

    def __init__(self, post: Post, markdown: str) -> None:
        self._post = post
        self.markdown = markdown
        # The title is already the summary's heading: the excerpt must not add another.
        self._title_from_render = post.title

    def __getattr__(self, name: str) -> Any:
        return getattr(self._post, name)


# After the blog plugin's own on_page_markdown (priority -50), which creates page.excerpt.
@event_priority(-60)
def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    excerpt = getattr(page, "excerpt", None)
    if not isinstance(page, Post) or not isinstance(excerpt, Excerpt):
        return None
    short = summary_markdown(page.title, page.meta.get("summary"))
    if short is not None:
        excerpt.post = _SummaryOnly(page, short)
    return None
