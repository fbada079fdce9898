"""Make each figure of a post a link to its own file, so a reader can open it full size.

A diagram shown in the article's column (on a phone, 358 px for a 720-unit drawing) is smaller
than it was drawn; the link opens the file itself, which the browser shows at its size and lets
the reader zoom, offline and with no script. A figure is an image alone in its paragraph (how
Markdown writes ``![alt](src)`` on a line of its own); the post's cover, which
hugo_front_matter.py puts in ``<figure class="post-cover">``, and images already inside a link
are left alone. The paragraph is marked ``figure`` (extra.css keeps the prose measure off it).

An SVG figure also gets the width and height of its ``viewBox``: a lazy image without them takes
no room until it loads, so the text below it jumps when it does (raster images get theirs from
webp_images.py).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from mkdocs.structure.files import Files

from webp_images import site_path

_FIGURE = re.compile(r'(?<!<figure class="post-cover">\n)<p>(<img\b[^>]*>)</p>')
_SRC = re.compile(r'\bsrc="([^"]+)"')
_SIZED = re.compile(r"\s(?:width|height)=")


def svg_size(svg: str) -> tuple[str, str] | None:
    """(width, height) of an SVG document's viewBox, or None when it has none."""
    try:
        view_box = ET.fromstring(svg).get("viewBox")
    except ET.ParseError:
        return None
    parts = (view_box or "").replace(",", " ").split()
    if len(parts) != 4:
        return None
    return parts[2], parts[3]


def link_figures(page_html: str, svg_text: Callable[[str], str | None] = lambda src: None) -> str:
    """``page_html`` with each figure's ``<img>`` wrapped in a link to its ``src``, and an SVG
    figure sized by its viewBox (``svg_text`` reads the file an ``src`` points to)."""

    def link(match: re.Match[str]) -> str:
        img = match[1]
        src = _SRC.search(img)
        if src is None:
            return match[0]
        text = svg_text(html.unescape(src[1])) if src[1].endswith(".svg") else None
        size = svg_size(text) if text else None
        if size and not _SIZED.search(img):
            img = img.replace("<img", f'<img width="{size[0]}" height="{size[1]}"', 1)
        href = html.escape(html.unescape(src[1]))
        return f'<p class="figure"><a class="figure-link" href="{href}">{img}</a></p>'

    return _FIGURE.sub(link, page_html)


def link_page_figures(html: str, page_url: str, files: Files) -> str:
    """``link_figures`` on the page at ``page_url``, reading SVG files from the site's files."""

    def svg_text(src: str) -> str | None:
        uri = site_path(page_url, src)
        file = files.get_file_from_path(uri) if uri else None
        if file is None or not file.abs_src_path:
            return None
        return Path(file.abs_src_path).read_text(encoding="utf-8")

    return link_figures(html, svg_text)
