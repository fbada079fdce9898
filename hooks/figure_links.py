"""Make each figure of a post a link to its own file, so a reader can open it full size.

A diagram shown in the article's column (on a phone, 358 px for a 720-unit drawing) is smaller
than it was drawn; the link opens the file itself, which the browser shows at its size and lets
the reader zoom, offline and with no script. A figure is an image alone in its paragraph (how
Markdown writes ``![alt](src)`` on a line of its own); the post's cover, which
hugo_front_matter.py puts in ``<figure class="post-cover">``, and images already inside a link
are left alone. The paragraph is marked ``figure`` (extra.css keeps the prose measure off it).
"""

from __future__ import annotations

import html
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_FIGURE = re.compile(r'(?<!<figure class="post-cover">\n)<p>(<img\b[^>]*>)</p>')
_SRC = re.compile(r'\bsrc="([^"]+)"')


def link_figures(page_html: str) -> str:
    """``page_html`` with each figure's ``<img>`` wrapped in a link to its ``src``."""

    def link(match: re.Match[str]) -> str:
        img = match[1]
        src = _SRC.search(img)
        if src is None:
            return match[0]
        href = html.escape(html.unescape(src[1]))
        return f'<p class="figure"><a class="figure-link" href="{href}">{img}</a></p>'

    return _FIGURE.sub(link, page_html)


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    return link_figures(html)
