"""The subset of Material's stylesheet leaves out only rules that apply nowhere on the site.

hooks/material_css_subset.py publishes the rules whose selectors can match on this site. Here
Chromium says whether any selector it left out matches an element of a page: every page of the
production build, at phone size in dark mode and at desktop size in light mode, and in the
states a reader's clicks make (search open with results, the navigation drawer open, content
tabs switched), where Material's script has added its own elements and classes. The selectors
left out are found by comparing the published file with Material's, rule by rule, not by asking
the hook. Then, on pages small enough to read whole, the computed style of every element (and
its ``::before`` and ``::after``) is compared with the page styled by Material's whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import material
import pytest

from css_tokens import GROUPING_RULES, blocks, selectors
from testkit.browsing import DESKTOP, MOBILE, Tab, search
from testkit.site_build import Build

MATERIAL_MAIN = next(
    (Path(material.__file__).parent / "templates" / "assets" / "stylesheets").glob("main.*.min.css")
)
# Parts of a selector that depend on what the reader does or that querySelector refuses: taken
# away, the selector matches at least what it matched, so a match found is a true finding.
REACTIVE = re.compile(
    r"::?(?:before|after|marker|placeholder|selection|backdrop|-webkit-[\w-]+|-moz-[\w-]+)"
    r"|:(?:hover|focus|focus-visible|focus-within|active|visited|target)\b"
)
LOOKS = {
    "phone-dark": {"viewport": MOBILE, "color_scheme": "dark"},
    "desktop-light": {"viewport": DESKTOP, "color_scheme": "light"},
}
MATCHING = """(candidates) => {
  const found = [];
  for (const selector of candidates) {
    let element;
    try { element = document.querySelector(selector); } catch { continue; }  // not Chromium's
    if (element) found.push(selector + '  <- ' + element.outerHTML.slice(0, 120));
  }
  return found;
}"""
STYLES = """async () => {
  // Transitions still running (the search results fade in) are waited for, not compared.
  const finite = document.getAnimations()
    .filter((a) => a.effect.getTiming().iterations !== Infinity);
  await Promise.all(finite.map((a) => a.finished));
  return Array.from(document.querySelectorAll('*'), (element) =>
    [null, '::before', '::after'].map((pseudo) => {
      const cs = getComputedStyle(element, pseudo);
      // Custom properties are left out: what they change shows in the properties that read them.
      return Array.from(cs).filter((name) => !name.startsWith('--'))
        .map((name) => name + ':' + cs.getPropertyValue(name)).join(';');
    }).join('\\n'));
}"""


def all_selectors(css: str) -> set[str]:
    found: set[str] = set()
    for prelude, body in blocks(css):
        if prelude.startswith(GROUPING_RULES):
            found |= all_selectors(body)
        elif not prelude.startswith("@"):
            found.update(selectors(prelude))
    return found


def published_stylesheet(site: Path) -> Path:
    [path] = (site / "assets" / "stylesheets").glob("main.*.min.css")
    return path


@pytest.fixture(scope="module")
def left_out(published_site: Build) -> list[str]:
    """Material's selectors the published stylesheet does not have, made queryable."""
    whole = all_selectors(MATERIAL_MAIN.read_text(encoding="utf-8"))
    kept = all_selectors(published_stylesheet(published_site.site).read_text(encoding="utf-8"))
    assert kept < whole, "the site publishes Material's whole stylesheet, or something else"
    return sorted({REACTIVE.sub("", selector) or "*" for selector in whole - kept})


@pytest.fixture(scope="module")
def site_pages(published_site: Build) -> list[str]:
    site = published_site.site
    pages = sorted(
        f"{path.relative_to(site).parent}/" if path.name == "index.html" else path.name
        for path in site.rglob("*.html")
    )
    assert "posts/genesis-of-pod-ip-addresses/" in pages and "404.html" in pages
    return [page.removeprefix("./") for page in pages]


def opened(open_page: Callable[..., Tab], url: str, look: str, act: Callable[[Tab], None]) -> Tab:
    tab = open_page(url, **LOOKS[look])
    tab.page.wait_for_load_state("networkidle")
    act(tab)
    assert tab.traffic.errors == [] and tab.traffic.console == []
    return tab


def nothing(tab: Tab) -> None:
    pass


def open_search(tab: Tab) -> None:
    # On a phone the search box opens from the header's magnifier first.
    magnifier = tab.page.locator("label.md-header__button[for=__search]")
    if magnifier.is_visible():
        magnifier.click()
    search(tab.page, "veth")


def open_drawer(tab: Tab) -> None:
    tab.page.locator(".md-header label[for=__drawer]").click()
    tab.page.locator(".md-sidebar--primary").wait_for()


def switch_tab(tab: Tab) -> None:
    tab.page.locator(".tabbed-labels > label").nth(1).click()


@pytest.mark.parametrize("look", LOOKS)
def test_no_selector_left_out_matches_on_any_page(
    open_page, published_server, site_pages, left_out, look
):
    matched = {
        page: found
        for page in site_pages
        if (
            found := opened(open_page, published_server.url + page, look, nothing).page.evaluate(
                MATCHING, left_out
            )
        )
    }
    assert matched == {}


@pytest.mark.parametrize(
    ("page", "look", "act"),
    [
        pytest.param("", "desktop-light", open_search, id="search-results-desktop"),
        pytest.param("", "phone-dark", open_search, id="search-results-phone"),
        pytest.param("posts/genesis-of-pod-ip-addresses/", "phone-dark", open_drawer, id="drawer"),
        pytest.param(
            "posts/genesis-of-pod-ip-addresses/", "desktop-light", switch_tab, id="content-tabs"
        ),
    ],
)
def test_no_selector_left_out_matches_after_a_readers_click(  # noqa: PLR0917 - fixtures
    open_page,
    published_server,
    left_out,
    page,
    look,
    act,
):
    tab = opened(open_page, published_server.url + page, look, act)
    assert tab.page.evaluate(MATCHING, left_out) == []


def whole_stylesheet(tab: Tab) -> None:
    """Answer the page's request for the subset with Material's whole file."""
    body = MATERIAL_MAIN.read_bytes()
    tab.page.route(
        "**/assets/stylesheets/main.*.min.css",
        lambda route: route.fulfill(body=body, content_type="text/css"),
    )


@pytest.mark.parametrize(
    ("page", "look", "act"),
    [
        pytest.param("", "desktop-light", open_search, id="home-with-search-results"),
        pytest.param("404.html", "phone-dark", nothing, id="not-found"),
        pytest.param("about/", "phone-dark", nothing, id="about"),
    ],
)
def test_a_small_page_computes_the_same_style_for_every_element(
    open_page, published_server, page, look, act
):
    styles: list[Any] = []
    for styled_by in (nothing, whole_stylesheet):
        tab = open_page(None, **LOOKS[look])
        styled_by(tab)
        tab.page.goto(published_server.url + page, wait_until="load")
        tab.page.wait_for_load_state("networkidle")
        act(tab)
        styles.append(tab.page.evaluate(STYLES))
    subset, whole = styles
    assert len(subset) == len(whole), "the two loads did not build the same document"
    differing = [
        f"element {index}: {set(b.split(';')) - set(a.split(';'))}"
        for index, (a, b) in enumerate(zip(subset, whole, strict=True))
        if a != b
    ]
    assert differing == []
