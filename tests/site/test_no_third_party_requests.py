"""The built site loads nothing from another origin: no Google Fonts, no CDN, no trackers.

A browser fetches what the HTML asks for (stylesheets, scripts, images, icons, preloads,
iframes, media) and what CSS asks for (``url(...)``, ``@import``). Plain ``<a href>`` links to
other sites are fine: nothing is fetched until the reader clicks.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

# Attributes whose URL a browser fetches while loading the page.
FETCHED = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")
# <link> relations that only name a URL (no fetch at load time).
NOT_FETCHED_LINK_RELS = {"canonical", "alternate", "prev", "next", "author", "license", "search"}


def external(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in {"http", "https"}


def fetched_urls_in_html(html: str) -> list[str]:
    urls = []
    for tag in BeautifulSoup(html, "html.parser").find_all(list(FETCHED)):
        if tag.name == "link" and NOT_FETCHED_LINK_RELS & set(tag.get("rel", [])):
            continue
        for attr in FETCHED[tag.name]:
            value = tag.get(attr)
            if value:
                urls += [part.split()[0] for part in value.split(",") if part.strip()]
    return urls


def fetched_urls_in_css(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def external_requests(site: Path) -> list[str]:
    found = []
    for page in sorted(site.rglob("*.html")):
        found += [
            f"{page.relative_to(site)}: {url}"
            for url in fetched_urls_in_html(page.read_text(encoding="utf-8"))
            if external(url)
        ]
    for sheet in sorted(site.rglob("*.css")):
        found += [
            f"{sheet.relative_to(site)}: {url}"
            for url in fetched_urls_in_css(sheet.read_text(encoding="utf-8"))
            if external(url)
        ]
    return found


def test_no_page_or_stylesheet_of_the_built_site_fetches_from_another_origin(draft_previewed):
    assert external_requests(draft_previewed.site) == []


def test_the_check_finds_a_google_font_and_a_cdn_script(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="canonical" href="https://blog.example.org/">'
        '<script src="//cdn.example.net/x.js"></script><a href="https://example.org/">ok</a>'
    )
    (tmp_path / "x.css").write_text("@font-face{src:url(https://fonts.gstatic.com/r.woff2)}")
    assert external_requests(tmp_path) == [
        "index.html: https://fonts.googleapis.com/css?family=Roboto",
        "index.html: //cdn.example.net/x.js",
        "x.css: https://fonts.gstatic.com/r.woff2",
    ]


@pytest.mark.parametrize("url", ["assets/x.css", "../img/02/cover.jpeg", "data:image/svg+xml,"])
def test_same_origin_urls_are_not_external(url):
    assert not external(url)
