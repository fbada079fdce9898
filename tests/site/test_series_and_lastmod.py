"""A third part joins the series by its front matter alone, and Hugo's lastmod shows as "Updated".

The site is built with tests/site/specimens/a-third-part.md added: a later post of the same
``series`` with a ``lastmod``. No code or template knows it; the series must take it in order.
"""

from __future__ import annotations

import email.utils
import posixpath
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from testkit.posts import PUBLISHED, front_matter
from testkit.site_build import Build, build, copy_sources, soup

SPECIMEN = Path(__file__).parent / "specimens" / "a-third-part.md"
META = front_matter(SPECIMEN)
SERIES = [post for post in PUBLISHED if front_matter(post.source).get("series") == META["series"]]


@pytest.fixture(scope="module")
def with_third_part(tmp_path_factory: pytest.TempPathFactory) -> Build:
    project = copy_sources(tmp_path_factory.mktemp("third-part"))
    shutil.copy2(SPECIMEN, project / "docs" / "posts" / SPECIMEN.name)
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    return result


def page(site: Build, path: str):
    return soup(site.site / path / "index.html")


def target(link, from_path: str) -> str:
    """A link's target as a site path (``posts/<slug>/``), from the page at ``from_path``."""
    return posixpath.normpath(posixpath.join(from_path, link["href"])) + "/"


def test_the_published_posts_form_one_series_the_specimen_continues():
    assert len(SERIES) >= 2
    assert all(post.date < META["date"] for post in SERIES)


def test_a_third_part_is_numbered_last_and_each_part_links_the_next_in_reading_order(
    with_third_part,
):
    order = [post.path for post in sorted(SERIES, key=lambda p: p.date)]
    order.append(f"posts/{SPECIMEN.stem}/")
    for number, path in enumerate(order, start=1):
        html = page(with_third_part, path)
        label = html.select_one(".post-header .post-series summary").get_text(" ", strip=True)
        assert f"Part {number} of {len(order)}" in label, path
        following = html.select_one("a.md-footer__link--next")
        preceding = html.select_one("a.md-footer__link--prev")
        if number < len(order):
            assert target(following, path) == order[number], path
            assert html.select_one(".post-series--end a[rel=next]")["href"] == following["href"]
        else:
            assert following is None
        if number > 1:
            assert target(preceding, path) == order[number - 2], path
        else:
            assert preceding is None


def test_lastmod_is_the_posts_updated_date_on_the_page_in_the_updated_feed_and_sitemap(
    with_third_part,
):
    html = page(with_third_part, f"posts/{SPECIMEN.stem}/")
    updated = html.select_one(".post-byline__updated")
    assert (
        updated.get_text(" ", strip=True)
        == f"Updated {META['lastmod']:%B} {META['lastmod'].day}, {META['lastmod']:%Y}"
    )
    assert updated.time["datetime"].startswith(META["lastmod"].isoformat())

    feed = ET.parse(with_third_part.site / "feed_rss_updated.xml").getroot().find("channel")
    items = {item.findtext("title"): item for item in feed.findall("item")}
    published = email.utils.parsedate_to_datetime(items[META["title"]].findtext("pubDate"))
    assert published.date() == META["lastmod"]
    # A post without lastmod is dated by its date there, as Hugo falls back.
    for post in SERIES:
        when = email.utils.parsedate_to_datetime(items[post.title].findtext("pubDate"))
        assert when == post.date

    sitemap = (with_third_part.site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"/posts/{SPECIMEN.stem}/</loc>\n         <lastmod>{META['lastmod']}" in sitemap


def test_a_post_without_lastmod_shows_no_update(published_site):
    for post in SERIES:
        assert page(published_site, post.path).select_one(".post-byline__updated") is None
