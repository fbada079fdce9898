"""The published article, as Chromium renders it from the site served on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from testkit import posts
from testkit.browsing import ARTICLE_PATH, DESKTOP, MOBILE, search
from testkit.site_build import ARTICLE, Build


def front_matter(site: Build) -> dict:
    """The article's front matter in the project the site was built from."""
    return posts.front_matter(site.site.parent / ARTICLE)


@pytest.fixture
def article(open_page, published_server):
    return open_page(published_server.url + ARTICLE_PATH)


def test_article_shows_its_title_date_tags_cover_and_table_of_contents(article, published_site):
    page, meta = article.page, front_matter(published_site)
    assert page.locator("article h1").inner_text() == meta["title"]
    assert page.title() == f"{meta['title']} - Pod Networking Notes"

    date = page.locator(".post-byline time").first
    assert date.is_visible()
    assert date.inner_text() == f"{meta['date']:%B} {meta['date'].day}, {meta['date']:%Y}"
    shown = dt.datetime.fromisoformat(date.get_attribute("datetime"))
    assert shown == meta["date"]

    assert page.locator(".md-tags .md-tag").all_inner_texts() == meta["tags"]

    cover = page.locator("figure.post-cover img")
    assert cover.is_visible()
    assert cover.get_attribute("alt") == meta["cover"]["alt"]
    assert cover.evaluate("img => img.naturalWidth") > 0

    toc = page.locator("nav.md-nav--secondary[aria-label='Table of contents']")
    assert toc.is_visible()
    entries = toc.locator("[data-md-component=toc] > li > a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.textContent.trim()])"
    )
    headings = page.locator("article h2").evaluate_all(
        "hs => hs.map(h => ['#' + h.id, h.firstChild.textContent.trim()])"
    )
    assert entries == headings
    assert len(headings) >= 2, headings


def test_every_image_and_resource_of_the_article_loads_favicon_included(article):
    page = article.page
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    images = page.evaluate(
        """async () => Promise.all([...document.images].map(async (img) => {
            img.loading = "eager";
            try { await img.decode(); } catch (error) { /* reported as width 0 */ }
            return [img.currentSrc || img.src, img.naturalWidth];
        }))"""
    )
    assert images, "the article has no image"
    assert [src for src, width in images if width == 0] == []

    icons = page.evaluate(
        """async () => Promise.all([...document.querySelectorAll("link[rel~=icon]")].map(
            async (link) => {
                const response = await fetch(link.href);
                return [link.href, response.status, response.headers.get("content-type")];
            }))"""
    )
    assert icons, "no favicon declared"
    for href, status, content_type in icons:
        assert status == 200, href
        assert content_type.startswith("image/"), (href, content_type)

    page.wait_for_load_state("networkidle")
    assert article.traffic.errors == []


def test_article_logs_no_console_error(article):
    article.page.wait_for_load_state("networkidle")
    article.page.mouse.wheel(0, 4000)
    assert article.traffic.console == []


def test_no_request_leaves_127_0_0_1_and_the_check_would_see_one(article):
    page = article.page
    page.wait_for_load_state("networkidle")
    search(page, "namespace")  # the search worker and its index load too
    assert article.traffic.blocked == []

    # The same check catches a request for another host, and aborts it.
    page.evaluate("fetch('https://example.org/probe.png').catch(() => {})")
    page.wait_for_timeout(200)
    assert article.traffic.blocked == ["https://example.org/probe.png"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_article_screenshot_is_saved_for_each_scheme_and_width(
    open_page, published_server, artifacts: Path, scheme, width
):
    mobile = width == "mobile"
    viewport = MOBILE if mobile else DESKTOP
    tab = open_page(
        published_server.url + ARTICLE_PATH,
        viewport=viewport,
        color_scheme=scheme,
        is_mobile=mobile,
        has_touch=mobile,
    )
    page = tab.page
    expected = {"light": "default", "dark": "slate"}[scheme]
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # A full-page capture is one tall frame: draw the code blocks that extra.css lets the
    # browser skip while they are off screen (content-visibility: auto).
    page.add_style_tag(content=".md-typeset div.highlight { content-visibility: visible; }")
    path = artifacts / f"article-{width}-{scheme}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000


def test_article_is_readable_with_javascript_disabled(open_page, published_server, published_site):
    tab = open_page(published_server.url + ARTICLE_PATH, java_script_enabled=False)
    page, meta = tab.page, front_matter(published_site)
    assert page.evaluate("1 + 1") == 2  # Playwright's own scripts still run; the page's do not
    assert page.locator("script#__config").count() == 1
    assert page.evaluate("document.documentElement.className") == "no-js"  # bundle.js did not run
    # The copy buttons are written by the site's script: without it, none (it could do nothing).
    assert page.locator("pre code").count() > 0
    assert page.locator("button[data-md-type=copy]").count() == 0

    assert page.locator("article h1").inner_text() == meta["title"]
    prose = [text for text in page.locator("article p:visible").all_inner_texts() if len(text) > 40]
    assert len(prose) >= 3
    shown = page.locator("article").inner_text()  # the text as laid out, hidden parts left out
    for heading in page.locator("article h2").all_text_contents():
        assert heading.rstrip("¶").strip() in shown
    assert page.locator("figure.post-cover img").evaluate("img => img.naturalWidth") > 0
    assert page.locator("nav.md-nav--secondary").is_visible()
    color, background = page.locator("article").evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(document.body).backgroundColor]"
    )
    assert color != background
    assert tab.traffic.errors == []
