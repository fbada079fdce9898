"""Search and the colour palette, used the way a reader uses them."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from testkit.browsing import ARTICLE_PATH, search
from testkit.posts import PUBLISHED, hugo_order
from testkit.site_build import SLUG

# The one smoke test on the real article reads its title from the front matter, so an edited
# title does not break it.
TITLE = next(post.title for post in PUBLISHED if post.slug == SLUG)
PALETTE_TOGGLE = "form[data-md-component=palette] label:not([hidden])"


@pytest.fixture
def home(open_page, published_server):
    return open_page(published_server.url)


def test_search_for_veth_finds_the_article_and_opens_it_with_the_word_highlighted(home):
    page = home.page
    dialog = page.locator(".md-search[role=dialog]")
    assert dialog.get_attribute("aria-label") == "Search"  # overrides/partials/search.html

    search(page, "veth")
    links = page.locator(".md-search-result__item a")
    hrefs = [urlsplit(href).path for href in links.evaluate_all("as => as.map(a => a.href)")]
    assert f"/{ARTICLE_PATH}" in hrefs
    assert page.locator(".md-search-result__item h1").first.inner_text() == TITLE

    links.filter(has=page.locator("mark", has_text="veth")).first.click()
    page.wait_for_url(f"**/{ARTICLE_PATH}?h=veth#*")
    assert page.locator("article h1").inner_text() == TITLE
    # search.highlight marks the word once the new page has loaded the search index
    page.locator("article mark", has_text="veth").first.wait_for()
    assert home.traffic.console == []


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        pytest.param("veth", "genesis-of-pod-ip-addresses", id="first-post"),
        pytest.param("podnet", "writing-a-cni-plugin", id="second-post"),
    ],
)
def test_search_finds_each_post_by_a_word_of_its_own(home, query, slug):
    post = next(p for p in PUBLISHED if p.slug == slug)
    page = home.page
    search(page, query)
    results = page.locator(".md-search-result__item")
    results.first.wait_for()
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    assert post.title in titles
    link = page.locator(".md-search-result__item a", has=page.locator("h1", has_text=post.title))
    href = link.first.get_attribute("href")
    assert urlsplit(href).path.endswith(f"/{post.path}"), href
    page.goto(href)
    assert page.locator("article h1").inner_text() == post.title
    assert home.traffic.console == []


def test_home_page_lists_both_posts_and_opens_each(open_page, published_server):
    tab = open_page(published_server.url)
    page = tab.page
    titles = page.locator("article.md-post--excerpt h2 a").all_inner_texts()
    assert titles == [post.title for post in hugo_order(PUBLISHED)]
    for post in PUBLISHED:
        page.goto(published_server.url)
        page.locator("article.md-post--excerpt h2 a", has_text=post.title).click()
        page.wait_for_url(f"**/{post.path}")
        assert page.locator("article h1").inner_text() == post.title
    assert tab.traffic.console == []


def scheme(page) -> str:
    return page.locator("body").get_attribute("data-md-color-scheme")


def test_palette_toggle_cycles_auto_light_dark_and_the_choice_survives_a_reload(home):
    """The reader's system prefers dark: auto follows it, an explicit light choice wins."""
    page = home.page
    page.emulate_media(color_scheme="dark")
    page.reload()
    toggle = page.locator(PALETTE_TOGGLE)
    assert scheme(page) == "slate"
    assert toggle.get_attribute("title") == "Switch to light mode"

    toggle.click()
    assert scheme(page) == "default"
    assert toggle.get_attribute("title") == "Switch to dark mode"
    stored = page.evaluate(
        "Object.keys(localStorage).filter(key => key.endsWith('__palette'))"
        ".map(key => JSON.parse(localStorage.getItem(key)))"
    )
    assert [entry["index"] for entry in stored] == [1]

    page.reload()
    assert scheme(page) == "default"  # the choice, not the system's dark preference

    toggle.click()
    assert scheme(page) == "slate"
    assert toggle.get_attribute("title") == "Switch to system preference"
    page.goto(page.url.split("#")[0] + "tags/")
    assert scheme(page) == "slate"  # and on every page of the site

    toggle.click()
    assert toggle.get_attribute("title") == "Switch to light mode"  # auto again
    page.emulate_media(color_scheme="light")
    page.reload()
    assert scheme(page) == "default"  # auto follows the system's preference again
    assert home.traffic.console == []
