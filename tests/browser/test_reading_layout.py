"""The page's layout and type as readers see them, and screenshots of every page to look at.

Nothing wider than the screen but what scrolls in its own box (code, a figure on a phone);
admonitions and tables near the body's size; the title as strong as the text; prose lines of
about 70-80 characters on a laptop; the home page's meta line with no separator left dangling.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from testkit.posts import PUBLISHED
from testkit.reading import (
    COLORS_JS,
    EACH_SCHEME,
    EACH_SCREEN,
    SCREENS,
    contrast,
    keep_screenshot,
    open_screen,
    text_and_background,
)

PAGES = {
    "home": "",
    "about": "about/",
    **{post.slug: post.path for post in PUBLISHED},
}
EACH_PAGE = [pytest.param(path, id=name) for name, path in PAGES.items()]
EACH_POST = [pytest.param(post, id=post.slug) for post in PUBLISHED]

# Every visible element of the main area whose box passes the screen's right edge, unless a box
# that scrolls sideways holds it (a code block, a table, a figure on a phone).
OVERFLOWING_JS = """width => {
    const scrolls = el => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
    const found = [];
    for (const el of document.querySelectorAll(".md-main *")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= width + 1 || !el.checkVisibility()) continue;
        let held = false;
        for (let holder = el.parentElement; holder && !held; holder = holder.parentElement) {
            held = scrolls(holder) && holder.getBoundingClientRect().right <= width + 1;
        }
        if (held) continue;
        found.push(el.tagName.toLowerCase() + "." + el.className + " " + Math.round(box.right));
    }
    return found;
}"""


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("path", EACH_PAGE)
def test_nothing_is_wider_than_the_screen_but_what_scrolls_in_its_box_and_screenshots_are_kept(
    open_page, published_server, artifacts: Path, *, path, screen, scheme
):
    tab = open_screen(open_page, published_server.url + path, screen, scheme)
    page = tab.page
    width = SCREENS[screen]["width"]
    page.add_style_tag(content=".md-typeset div.highlight { content-visibility: visible; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERFLOWING_JS, width)[:5] == []
    name = path.strip("/").replace("/", "-") or "home"
    assert keep_screenshot(page, artifacts, f"reading-{name}-{screen}-{scheme}").stat().st_size
    assert tab.traffic.errors == [] and tab.traffic.console == []


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("screen", EACH_SCREEN)
def test_the_404_page_fits_the_screen_and_its_screenshot_is_kept(
    open_page, published_server, artifacts, screen, scheme
):
    tab = open_screen(open_page, None, screen, scheme)
    response = tab.page.goto(published_server.url + "no/such/page/", wait_until="load")
    assert response.status == 404
    width = SCREENS[screen]["width"]
    assert tab.page.evaluate(OVERFLOWING_JS, width) == []
    keep_screenshot(tab.page, artifacts, f"reading-404-{screen}-{scheme}")


def font_px(locator) -> float:
    return float(locator.evaluate("el => parseFloat(getComputedStyle(el).fontSize)"))


@pytest.mark.parametrize("screen", EACH_SCREEN)
def test_admonitions_and_tables_are_near_the_bodys_size(open_page, published_server, screen):
    post = PUBLISHED[0]
    tab = open_screen(open_page, published_server.url + post.path, screen, "light")
    page = tab.page
    body = font_px(page.locator("article > p").first)
    for selector in ("article .admonition", "article table"):
        found = page.locator(selector)
        assert found.count(), selector
        assert font_px(found.first) >= 0.9 * body, selector


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("post", EACH_POST)
def test_the_post_title_is_as_strong_as_its_text(open_page, published_server, post, scheme):
    tab = open_screen(open_page, published_server.url + post.path, "laptop", scheme)
    page = tab.page
    title = page.locator("article h1")
    text = page.locator("article > p").first
    title_ratio = contrast(*text_and_background(title.evaluate(COLORS_JS)))
    text_ratio = contrast(*text_and_background(text.evaluate(COLORS_JS)))
    assert title_ratio >= text_ratio - 0.01
    assert int(title.evaluate("h => getComputedStyle(h).fontWeight")) >= 600


@pytest.mark.parametrize("post", EACH_POST)
def test_prose_lines_on_a_laptop_hold_70_to_80_characters(open_page, published_server, post):
    """A full line holds the paragraph's width over its text's average character width (the
    text measured in its own font), for each paragraph of three lines or more."""
    tab = open_screen(open_page, published_server.url + post.path, "laptop", "light")
    per_line = tab.page.locator("article > p").evaluate_all(
        """ps => {
            const context = document.createElement("canvas").getContext("2d");
            return ps.map(p => {
                const style = getComputedStyle(p);
                const lines = p.getBoundingClientRect().height / parseFloat(style.lineHeight);
                if (Math.round(lines) < 3) return null;
                context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
                const text = p.textContent.replace(/\\s+/g, " ");
                const average = context.measureText(text).width / text.length;
                return p.getBoundingClientRect().width / average;
            }).filter(n => n !== null);
        }"""
    )
    assert len(per_line) >= 5
    assert 65 <= statistics.median(per_line) <= 80, statistics.median(per_line)


def test_home_page_meta_lines_leave_no_separator_dangling_on_a_phone(open_page, published_server):
    tab = open_screen(open_page, published_server.url, "phone", "light")
    dangling = tab.page.locator(".md-meta__list").evaluate_all(
        """lists => lists.flatMap(list => {
            const items = [...list.children];
            return items.slice(0, -1).filter((item, i) => {
                const mark = getComputedStyle(item, "::after").content;
                const next = items[i + 1].getBoundingClientRect().top;
                return mark !== "none" && next > item.getBoundingClientRect().top + 2;
            }).map(item => item.textContent.trim());
        })"""
    )
    assert dangling == []
