"""The feeds of a production build are RSS 2.0 that readers' apps accept, and reproducible.

Expectations come from the posts' front matter, so they hold for any number of posts: the copy
built here holds the real posts, a second published post and a draft (tests/site/specimens/).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest

from testkit.posts import front_matter
from testkit.site_build import Build, add_draft, build, copy_sources, soup

# A GitHub Pages project URL: the site lives under a path, which every URL must keep.
PRODUCTION_URL = "https://octocat.github.io/pod-networking-notes/"
SECOND_POST = Path(__file__).parent / "specimens" / "a-second-post.md"
# mkdocs-rss-plugin's `length` (its default): the feed lists the newest posts, at most this many.
FEED_LENGTH = 20
# RFC 822 section 5 (with RFC 1123's four-digit year), as RSS 2.0 requires of every date.
RFC_822 = re.compile(
    r"((Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d\d:\d\d(:\d\d)? ([+-]\d{4}|UT|GMT|[ECMP][SD]T)"
)
# Elements and attributes whose value is a URL, in RSS 2.0 and the Atom self link.
URL_ELEMENTS = ("link", "url", "docs", "comments")
URL_ATTRIBUTES = ("href", "url")
ATOM_LINK = "{http://www.w3.org/2005/Atom}link"


@dataclass
class Post:
    url: str
    date: dt.datetime
    categories: set[str]


@dataclass
class Builds:
    first: Build
    again: Build
    posts: list[Post]  # the published ones, newest first


def published_posts(project: Path) -> list[Post]:
    posts = []
    for source in (project / "docs" / "posts").glob("*.md"):
        meta = front_matter(source)
        if meta.get("draft") is True:
            continue
        categories = set(meta.get("tags") or []) | set(meta.get("categories") or [])
        posts.append(Post(f"{PRODUCTION_URL}posts/{source.stem}/", meta["date"], categories))
    return sorted(posts, key=lambda post: post.date, reverse=True)


@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    """One tree built twice, as `SITE_URL=… make build` does, seconds apart."""
    project = add_draft(copy_sources(tmp_path_factory.mktemp("feed")))
    shutil.copy2(SECOND_POST, project / "docs" / "posts" / SECOND_POST.name)
    with pytest.MonkeyPatch.context() as env:
        # Reproducible here must not come from a pinned clock.
        env.delenv("SOURCE_DATE_EPOCH", raising=False)
        first, again = (
            build(project, project / name, site_url=PRODUCTION_URL) for name in ("site", "again")
        )
    for result in (first, again):
        assert result.returncode == 0, result.output
    return Builds(first, again, published_posts(project))


def feed_files(site: Path) -> list[Path]:
    """Every feed the build wrote: the XML files whose root is <rss>, and any JSON feed."""
    feeds = [path for path in sorted(site.glob("*.xml")) if ET.parse(path).getroot().tag == "rss"]
    return feeds + sorted(site.glob("feed_json_*.json"))


def test_the_build_writes_hugos_index_xml_and_the_plugins_updated_feed_only(production):
    names = [path.name for path in feed_files(production.first.site)]
    assert names == ["feed_rss_updated.xml", "index.xml"]


FEEDS = ["index.xml", "feed_rss_updated.xml"]


def channel_of(production: Builds, name: str) -> ET.Element:
    # The stdlib parser is strict: a malformed document is an error, not a best guess.
    root = ET.fromstring((production.first.site / name).read_bytes())
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channels = root.findall("channel")
    assert len(channels) == 1
    return channels[0]


@pytest.mark.parametrize("name", FEEDS)
def test_the_channel_and_every_item_have_the_rss_2_0_elements(production, name):
    channel = channel_of(production, name)
    for required in ("title", "link", "description"):
        assert (channel.findtext(required) or "").strip(), required
    items = channel.findall("item")
    assert items
    for item in items:
        # RSS 2.0 needs a title or a description; readers need the rest to show and dedupe it.
        for element in ("title", "description", "link", "guid", "pubDate"):
            assert (item.findtext(element) or "").strip(), (element, item.findtext("link"))
        assert item.find("guid").get("isPermaLink") == "true"
        assert item.findtext("guid") == item.findtext("link")
    image = channel.find("image")
    if image is not None:  # optional, but then with all its required elements
        for required in ("url", "title", "link"):
            assert (image.findtext(required) or "").strip(), required


@pytest.mark.parametrize("name", FEEDS)
def test_every_url_is_absolute_under_the_production_site_url(production, name):
    channel = channel_of(production, name)
    urls = [element.text for element in channel.iter() if element.tag in URL_ELEMENTS]
    urls += [item.findtext("guid") for item in channel.iter("item")]
    urls += [
        value
        for element in channel.iter()
        for attribute, value in element.attrib.items()
        if attribute in URL_ATTRIBUTES
    ]
    assert len(urls) >= 3 + 2 * len(channel.findall("item"))  # nothing was skipped
    for url in urls:
        assert (url or "").startswith(PRODUCTION_URL), url
    assert channel.find(ATOM_LINK).get("href") == PRODUCTION_URL + name


@pytest.mark.parametrize("name", FEEDS)
def test_no_value_is_none(production, name):
    for element in channel_of(production, name).iter():
        values = [(element.text or "").strip(), *element.attrib.values()]
        assert "None" not in values, element.tag


@pytest.mark.parametrize("name", FEEDS)
def test_the_items_are_the_newest_posts_with_their_own_rfc_822_dates(production, name):
    expected = production.posts[:FEED_LENGTH]
    assert len(expected) >= 2  # the article and the second post; the draft stays out
    items = {item.findtext("link"): item for item in channel_of(production, name).iter("item")}
    assert sorted(items) == sorted(post.url for post in expected)
    for post in expected:
        text = items[post.url].findtext("pubDate")
        assert RFC_822.fullmatch(text), text
        date = email.utils.parsedate_to_datetime(text)
        assert date == post.date, post.url
        assert date.utcoffset() == post.date.utcoffset(), post.url  # the author's offset kept


@pytest.mark.parametrize("name", FEEDS)
def test_the_channel_is_dated_by_the_newest_post_not_the_build_time(production, name):
    channel = channel_of(production, name)
    newest = production.posts[0].date
    for element in ("pubDate", "lastBuildDate"):
        text = channel.findtext(element)
        assert RFC_822.fullmatch(text), text
        assert email.utils.parsedate_to_datetime(text) == newest, element


@pytest.mark.parametrize("name", FEEDS)
def test_every_category_and_tag_of_a_post_is_listed_once(production, name):
    posts = {post.url: post for post in production.posts}
    for item in channel_of(production, name).iter("item"):
        listed = [category.text for category in item.findall("category")]
        assert sorted(listed) == sorted(set(listed)), listed
        assert set(listed) == posts[item.findtext("link")].categories


def test_two_builds_of_one_tree_give_byte_identical_feeds(production):
    for feed in feed_files(production.first.site):
        again = production.again.site / feed.name
        assert feed.read_bytes() == again.read_bytes(), feed.name


def test_every_page_advertises_the_feeds_that_exist(production):
    """Feed readers find a blog's feeds from its pages' <link rel=alternate> (autodiscovery)."""
    site = production.first.site
    feeds = {PRODUCTION_URL + path.name for path in feed_files(site)}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        # Where the page is published; its links resolve from there, as in a browser.
        page_url = PRODUCTION_URL + page.relative_to(site).as_posix()
        links = soup(page).select('link[rel=alternate][type="application/rss+xml"]')
        assert {urljoin(page_url, link["href"]) for link in links} == feeds, page_url
