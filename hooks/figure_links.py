"""Make each figure of a post a link to its own file, and offer its narrow drawing on phones.

A diagram shown in the article's column (on a phone, 358 px for a 720-unit drawing) is smaller
than it was drawn; the link opens the file itself, which the browser shows at its size and lets
the reader zoom, offline and with no script. A figure is an image alone in its paragraph (how
Markdown writes ``![alt](src)`` on a line of its own); the post's cover, which
hugo_front_matter.py puts in ``<figure class="post-cover">``, and images already inside a link
are left alone. The paragraph is marked ``figure`` (extra.css keeps the prose measure off it).

An SVG figure also gets the width and height of its ``viewBox``: a lazy image without them takes
no room until it loads, so the text below it jumps when it does (raster images get theirs from
webp_images.py).

An SVG figure ``x.svg`` with a sibling ``x.narrow.svg`` (the same diagram laid out tall for a
phone's column) is wrapped in a ``<picture>`` whose ``<source>`` offers the narrow file below
Material's phone breakpoint: the browser picks the file, no script runs, and the ``<img>`` stays
the wide one (its ``src``, ``alt``, lazy loading and the dark-mode filter extra.css hangs on it).
The link keeps opening the wide file: the narrow one is already shown whole and legible, so
"full size" is the drawing with room to spread out, the one a laptop shows. The link is marked
``figure-link--narrow``, so extra.css knows that figure fits a phone's column. So is an SVG
figure drawn for a phone in the first place (at most ``PHONE_DRAWING_WIDTH`` units wide): scaled
to the column, its text loses little, and it needs no variant.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from webp_images import site_path

# Material's own phone breakpoint (its layout, and extra.css's phone rules, switch there). In em,
# like Material's: a media query's em is the reader's default font size, so a reader with larger
# text gets the narrow drawing on a wider screen, as they get the phone layout.
NARROW_MEDIA = "(max-width: 44.984375em)"
NARROW_SUFFIX = ".narrow.svg"
# A drawing this wide (in viewBox units) or narrower is a phone's drawing: a 390 px phone's
# column is 358 px, so it shows at 90 % of its size or more.
PHONE_DRAWING_WIDTH = 400

_FIGURE = re.compile(r'(?<!<figure class="post-cover">\n)<p>(<img\b[^>]*>)</p>')
_SRC = re.compile(r'\bsrc="([^"]+)"')
_SIZED = re.compile(r"\s(?:width|height)=")
# What splits a srcset into candidates and descriptors (HTML's srcset parsing).
_SRCSET_SEPARATORS = re.compile(r"[\s,]")


class NarrowVariantError(ValueError):
    """A narrow variant the build cannot offer: its ``src`` and why."""

    def __init__(self, src: str, reason: str) -> None:
        super().__init__(f"{src}: {reason}")
        self.src = src
        self.reason = reason


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


def narrow_src(src: str) -> str | None:
    """The ``src`` of the narrow variant of the SVG figure at ``src`` (None: not an SVG)."""
    if not src.endswith(".svg") or src.endswith(NARROW_SUFFIX):
        return None
    return src.removesuffix(".svg") + NARROW_SUFFIX


def _srcset_url(url: str) -> str:
    return _SRCSET_SEPARATORS.sub(lambda m: f"%{ord(m[0]):02X}", url)


def narrow_source(src: str, svg_text: Callable[[str], str | None]) -> str | None:
    """The ``<source>`` offering the narrow variant of the figure at ``src`` on a phone, or None
    when it has none; NarrowVariantError when it has one the browser could not size."""
    narrow = narrow_src(src)
    text = svg_text(narrow) if narrow else None
    if narrow is None or text is None:
        return None
    size = svg_size(text)
    if size is None:
        raise NarrowVariantError(
            narrow,
            "a narrow variant needs a viewBox (its width and height size the <source>, so the "
            "page keeps its room while the image loads)",
        )
    srcset = html.escape(_srcset_url(narrow))
    return f'<source media="{NARROW_MEDIA}" srcset="{srcset}" width="{size[0]}" height="{size[1]}">'


def link_figures(page_html: str, svg_text: Callable[[str], str | None] = lambda src: None) -> str:
    """``page_html`` with each figure's ``<img>`` wrapped in a link to its ``src``, an SVG
    figure sized by its viewBox and offered narrow on phones when it has a narrow variant
    (``svg_text`` reads the file an unescaped ``src`` points to, None when there is none)."""

    def link(match: re.Match[str]) -> str:
        img = match[1]
        src_match = _SRC.search(img)
        if src_match is None:
            return match[0]
        src = html.unescape(src_match[1])
        text = svg_text(src) if src.endswith(".svg") else None
        size = svg_size(text) if text else None
        if size and not _SIZED.search(img):
            img = img.replace("<img", f'<img width="{size[0]}" height="{size[1]}"', 1)
        source = narrow_source(src, svg_text)
        link_class = "figure-link"
        if source is not None:
            img = f"<picture>{source}{img}</picture>"
        if source is not None or (size and float(size[0]) <= PHONE_DRAWING_WIDTH):
            link_class += " figure-link--narrow"
        href = html.escape(src)
        return f'<p class="figure"><a class="{link_class}" href="{href}">{img}</a></p>'

    return _FIGURE.sub(link, page_html)


def link_page_figures(html: str, page: Page, files: Files) -> str:
    """``link_figures`` on ``page``, reading SVG files from the site's files."""

    def svg_text(src: str) -> str | None:
        uri = site_path(page.url, src)
        file = files.get_file_from_path(uri) if uri else None
        if file is None or not file.abs_src_path:
            return None
        return Path(file.abs_src_path).read_text(encoding="utf-8")

    try:
        return link_figures(html, svg_text)
    except NarrowVariantError as error:
        file = site_path(page.url, error.src) or error.src
        raise PluginError(
            f"{file} (a figure of docs/{page.file.src_uri}): {error.reason}"
        ) from error
