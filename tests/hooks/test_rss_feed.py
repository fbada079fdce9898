"""The RSS plugin's feed, tidied: no image without a URL, each category once, dated by its posts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from rss_feed import tidy_feed


def feed(channel_extra: str = "", *items: str) -> str:
    """A feed shaped like mkdocs-rss-plugin 1.19's, with the build time as channel dates."""
    return (
        '<?xml version="1.0" encoding="UTF-8" ?> '
        '<?xml-stylesheet type="text/xsl" href="rss.xsl"?>'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"> <channel> '
        "<title>T</title><description>D</description><link>https://x.example/</link> "
        '<atom:link href="https://x.example/index.xml" rel="self" type="application/rss+xml" /> '
        "<pubDate>Mon, 30 Nov 2026 08:42:43 -0000</pubDate> "
        "<lastBuildDate>Mon, 30 Nov 2026 08:42:43 -0000</lastBuildDate> "
        f"{channel_extra} {' '.join(items)} </channel> </rss>"
    )


def item(pub_date: str, *categories: str, link: str = "https://x.example/posts/a/") -> str:
    tags = "".join(f"<category>{name}</category> " for name in categories)
    return f"<item> <title>A</title> {tags}<link>{link}</link> <pubDate>{pub_date}</pubDate></item>"


def channel(xml: str) -> ET.Element:
    return ET.fromstring(xml.encode()).find("channel")


def test_an_image_whose_url_is_none_is_dropped():
    image = "<image> <url>None</url> <title>T</title> <link>https://x.example/</link> </image>"
    assert channel(tidy_feed(feed(image))).find("image") is None


def test_docs_naming_the_repository_rather_than_the_rss_format_is_dropped():
    docs = "<docs>https://github.com/pod-networking-notes/blog</docs>"
    assert channel(feed(docs)).find("docs") is not None
    assert channel(tidy_feed(feed(docs))).find("docs") is None


def test_an_image_with_an_absolute_url_is_kept():
    image = "<image> <url>https://x.example/logo.png</url> <title>T</title> </image>"
    kept = channel(tidy_feed(feed(image))).find("image")
    assert kept.findtext("url") == "https://x.example/logo.png"


def test_each_category_is_listed_once_in_its_first_place():
    tidied = channel(tidy_feed(feed("", item("Sun, 15 Jan 2023 00:03:07 +0100", *"BKKANN"))))
    assert [c.text for c in tidied.find("item").findall("category")] == ["B", "K", "A", "N"]


def test_the_channel_is_dated_by_its_newest_item_with_that_items_offset():
    items = [
        item("Sun, 15 Jan 2023 00:03:07 +0100", link="https://x.example/posts/a/"),
        # Newer than the first by instant, although its local time reads earlier.
        item("Sat, 14 Jan 2023 22:00:00 -0500", link="https://x.example/posts/b/"),
        item("Fri, 13 Jan 2023 12:00:00 +0000", link="https://x.example/posts/c/"),
    ]
    tidied = channel(tidy_feed(feed("", *items)))
    assert tidied.findtext("pubDate") == "Sat, 14 Jan 2023 22:00:00 -0500"
    assert tidied.findtext("lastBuildDate") == "Sat, 14 Jan 2023 22:00:00 -0500"


def test_a_feed_without_items_has_no_channel_date_rather_than_the_build_time():
    tidied = channel(tidy_feed(feed()))
    assert tidied.find("pubDate") is None
    assert tidied.find("lastBuildDate") is None


def test_the_rest_is_kept_as_the_plugin_wrote_it():
    source = feed("", item("Sun, 15 Jan 2023 00:03:07 +0100", "K"))
    tidied = tidy_feed(source)
    assert '<?xml-stylesheet type="text/xsl" href="rss.xsl"?>' in tidied
    assert '<atom:link href="https://x.example/index.xml" rel="self"' in tidied
    assert tidy_feed(tidied) == tidied


@pytest.mark.parametrize(
    "pub_date",
    [pytest.param("", id="empty"), pytest.param("2023-01-15T00:03:07+01:00", id="iso-8601")],
)
def test_an_item_without_an_rfc_822_date_is_an_error_naming_the_item(pub_date):
    with pytest.raises(ValueError, match=r"https://x\.example/posts/a/: pubDate"):
        tidy_feed(feed("", item(pub_date)))
