"""What a feed reader and a reader with a stale link get from the served production site."""

from __future__ import annotations

import email.utils
import urllib.request
import xml.etree.ElementTree as ET
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest

from testkit.posts import PUBLISHED, front_matter
from testkit.site_build import DRAFT_SLUG


def get(url: str) -> tuple[int, str, bytes]:
    """GET a URL of the local server: status, content type, body (404 pages included)."""
    assert urlsplit(url).hostname == "127.0.0.1", url
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local server
            return response.status, response.headers["Content-Type"], response.read()
    except HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.mark.parametrize("post", [pytest.param(p, id=p.slug) for p in PUBLISHED])
def test_feed_parses_and_lists_each_post_with_its_date_and_a_working_link(
    published_server, published_site, post
):
    meta = front_matter(published_site.site.parent / "docs" / "posts" / f"{post.slug}.md")
    status, content_type, body = get(published_server.url + "index.xml")
    assert status == 200
    assert content_type.startswith(("application/xml", "application/rss+xml", "text/xml"))
    channel = ET.fromstring(body).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert meta["title"] in items
    item = items[meta["title"]]
    assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == meta["date"]
    link = urlsplit(item.findtext("link"))
    assert link.path == f"/{post.path}"
    status, _, page = get(published_server.url + link.path.lstrip("/"))
    assert status == 200
    assert f"<h1>{meta['title']}</h1>".encode() in page


def drafts(project) -> list[str]:
    posts = sorted((project / "docs" / "posts").glob("*.md"))
    return [post.stem for post in posts if front_matter(post).get("draft") is True]


def test_drafts_are_left_out_of_the_production_build_and_their_url_is_a_404(
    open_page, specimen_server, specimen_site
):
    slugs = drafts(specimen_site.site.parent)
    assert DRAFT_SLUG in slugs  # tests/site/specimens/, plus any real draft
    tab = open_page(specimen_server.url)
    home = tab.page
    links = home.locator("a[href]").evaluate_all("as => as.map(a => a.href)")
    assert any("/posts/browser-specimen/" in link for link in links)  # a published post is there
    for slug in slugs:
        assert not any(f"/posts/{slug}/" in link for link in links), slug
        for listing in ("index.xml", "sitemap.xml", "search/search_index.json"):
            status, _, body = get(specimen_server.url + listing)
            assert status == 200
            assert f"posts/{slug}/".encode() not in body, (slug, listing)

        page = open_page().page
        response = page.goto(f"{specimen_server.url}posts/{slug}/")
        assert response.status == 404, slug
        assert page.locator("article h1").inner_text() == "Page not found"


@pytest.mark.parametrize("path", ["posts/no-such-post/", "img/no-such-image.png"])
def test_a_missing_path_answers_the_sites_404_page_with_status_404(specimen_server, path):
    status, content_type, body = get(specimen_server.url + path)
    assert (status, content_type) == (404, "text/html; charset=utf-8")
    assert b"<h1>Page not found</h1>" in body
