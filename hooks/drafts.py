"""Fail the build when a published page links to a draft post.

``mkdocs build`` leaves drafts out, and MkDocs only logs (at INFO, which ``strict`` ignores) a
link to a page that is excluded from the site, so the reader would get a 404. This hook turns
that into an error naming the page. In ``mkdocs serve`` and with ``BLOG_DRAFTS=true`` drafts are
built, so the links are fine there.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel
from mkdocs.structure.pages import Page


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def linked_paths(html: str, page_url: str) -> set[str]:
    """Site-relative paths (no fragment, no query) of the same-site links in ``html``."""
    collector = _LinkCollector()
    collector.feed(html)
    base = "/" + page_url
    paths = set()
    for href in collector.hrefs:
        parts = urlsplit(urljoin(base, href))
        if parts.scheme or parts.netloc:
            continue
        path = posixpath.normpath(parts.path).lstrip("/")
        paths.add(path + "/" if parts.path.endswith("/") and path else path)
    return paths


def draft_links(html: str, page_url: str, draft_urls: dict[str, str]) -> list[str]:
    """Source paths of the drafts (``draft_urls``: URL -> source) that ``html`` links to."""
    return sorted(draft_urls[url] for url in linked_paths(html, page_url) if url in draft_urls)


def _draft_urls(files: Files, config: MkDocsConfig) -> dict[str, str]:
    blog = config.plugins.get("material/blog")
    if blog is None or blog.config.draft:
        return {}
    return {
        file.url: file.src_uri
        for file in files.documentation_pages(inclusion=InclusionLevel.is_excluded)
        if file.page is not None and file.page.meta.get("draft")
    }


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    linked = draft_links(html, page.url, _draft_urls(files, config))
    if linked:
        raise PluginError(
            f"{config.docs_dir.rsplit('/', 1)[-1]}/{page.file.src_uri}: links to draft "
            f"{', '.join(linked)}, which `mkdocs build` leaves out (a 404 for readers); "
            "publish it (draft: false) or remove the link"
        )
    return html
