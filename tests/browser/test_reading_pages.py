"""The site says what it is: home page, About, the feed, the edit and repository links, the 404.

Expected links come from mkdocs.yml (repo_url, edit_uri, the feed's file name) and from the
posts' front matter, so the tests follow the configuration instead of repeating it.
"""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import yaml

from testkit.paths import REPO
from testkit.posts import PUBLISHED
from testkit.reading import EACH_SCREEN, open_screen

EACH_POST = [pytest.param(post, id=post.slug) for post in PUBLISHED]


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's own tags (!ENV, !relative, !!python/name) read as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
CONFIG = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
REPO_URL = CONFIG["repo_url"]
FEED = next(p["rss"] for p in CONFIG["plugins"] if isinstance(p, dict) and "rss" in p)
FEED_FILE = FEED["feeds_filenames"]["rss_created"]


def visible_link(page, href_ends: str, *, exact: str | None = None):
    """The first link on screen (in the page, the header or the footer, not the closed drawer)
    whose resolved URL ends with ``href_ends`` (or is ``exact``)."""
    links = page.locator(".md-main a[href], .md-footer a[href], .md-header a[href]")
    width = page.viewport_size["width"]
    for index in range(links.count()):
        link = links.nth(index)
        url = urljoin(page.url, link.get_attribute("href"))
        box = link.bounding_box() if link.is_visible() else None
        on_screen = box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 1
        if on_screen and (url == exact if exact else url.endswith(href_ends)):
            return link
    raise AssertionError(f"no visible link to …{href_ends} on {page.url}")


@pytest.mark.parametrize("screen", EACH_SCREEN)
def test_home_page_says_what_the_site_is_and_links_about_feed_and_repository(
    open_page, published_server, screen
):
    tab = open_screen(open_page, published_server.url, screen, "light")
    page = tab.page
    # The blog's index: Material writes the page's own text in a header above the post list.
    title = page.locator(".md-content h1").first.text_content().rstrip("¶").strip()
    assert title not in {"Blog", ""}
    intro = page.locator(".md-content h1 ~ p").first
    assert intro.is_visible()
    assert len(intro.inner_text()) > 60
    promise = page.locator(".md-content h1 ~ p").all_inner_texts()
    promise = " ".join(promise)
    assert "test suite" in promise and "virtual machine" in promise

    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    about = visible_link(page, "/about/")
    feed = visible_link(page, f"/{FEED_FILE}")
    visible_link(page, REPO_URL)
    rss = page.request.get(urljoin(page.url, feed.get_attribute("href")))
    assert rss.status == 200 and b"<rss" in rss.body()

    about.click()
    page.wait_for_url("**/about/")
    assert page.locator("article h1").text_content().rstrip("¶").strip() == "About"
    assert "written by" in page.locator("article").inner_text()
    assert tab.traffic.errors == []


@pytest.mark.parametrize("post", EACH_POST)
def test_every_post_has_an_edit_link_to_its_markdown_on_the_forge(
    open_page, published_server, post
):
    tab = open_screen(open_page, published_server.url + post.path, "laptop", "light")
    edit = tab.page.locator("article a[rel=edit]")
    assert edit.is_visible()
    expected = f"{REPO_URL}/{CONFIG['edit_uri']}posts/{post.slug}.md"
    assert edit.get_attribute("href") == expected


def test_header_links_the_repository_without_asking_the_forge_for_its_stars(
    open_page, published_server
):
    tab = open_screen(open_page, published_server.url + PUBLISHED[0].path, "laptop", "light")
    page = tab.page
    source = page.locator("header a.md-source")
    assert source.is_visible()
    assert source.get_attribute("href") == REPO_URL
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # Material's repository widget asks right after start-up
    assert tab.traffic.blocked == []
    assert page.locator("[data-md-component=source]").count() == 0


@pytest.mark.parametrize("screen", EACH_SCREEN)
def test_404_page_says_page_not_found_and_leads_home_to_the_posts_and_to_search(
    open_page, published_server, screen
):
    tab = open_screen(open_page, None, screen, "light")
    page = tab.page
    response = page.goto(published_server.url + "no/such/page/", wait_until="load")
    assert response.status == 404
    assert page.title().startswith("Page not found")
    assert page.locator("article h1").inner_text() == "Page not found"
    home = visible_link(page, "/", exact=published_server.url)
    for post in PUBLISHED:
        link = visible_link(page, f"/{post.path}")
        assert page.request.get(urljoin(page.url, link.get_attribute("href"))).status == 200
    assert "search" in page.locator("article").inner_text().lower()
    home.click()
    page.wait_for_url(published_server.url)
