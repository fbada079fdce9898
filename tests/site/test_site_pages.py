"""The built site has what a blog reader expects, at Hugo's URLs, from the Hugo front matter."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import xml.etree.ElementTree as ET

from testkit.site_build import DRAFT_SLUG, SLUG, soup

SITE_URL = "https://blog.example.org/"
POST_URL = f"{SITE_URL}posts/{SLUG}/"
PUBLISHED = dt.datetime(2023, 1, 15, 0, 3, 7, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def test_production_build_leaves_drafts_out_of_every_page_feed_and_index(draft_left_out):
    site = draft_left_out.site
    assert (site / "posts" / SLUG / "index.html").is_file()
    assert not (site / "posts" / DRAFT_SLUG).exists()
    for page in ("index.html", "404.html", "tags/index.html", "sitemap.xml", "index.xml"):
        assert (site / page).is_file(), page
        assert DRAFT_SLUG not in (site / page).read_text(encoding="utf-8"), page
    assert DRAFT_SLUG not in (site / "search" / "search_index.json").read_text()
    assert not (site / "category" / "linux").exists()


def test_article_lives_at_hugos_url_with_title_date_and_tags(article):
    assert article.h1.get_text(strip=True) == "Kubernetes: genesis of pod IP addresses"
    assert (
        article.title.get_text() == "Kubernetes: genesis of pod IP addresses - Pod Networking Notes"
    )
    times = {t["datetime"] for t in article.select("time")}
    assert any(stamp.startswith("2023-01-15 00:03:07+01:00") for stamp in times), times
    tags = [a.get_text(strip=True) for a in article.select(".md-tags .md-tag")]
    assert tags == ["Container", "Kubernetes", "Networking"]


def test_summary_is_the_meta_description_and_social_cards_use_absolute_urls(article):
    def meta(attr: str, name: str) -> str:
        return article.find("meta", attrs={attr: name})["content"]

    assert meta("name", "description") == "Containers and Network Namespaces"
    assert meta("property", "og:description") == "Containers and Network Namespaces"
    assert meta("property", "og:title") == "Kubernetes: genesis of pod IP addresses"
    assert meta("property", "og:url") == POST_URL
    assert meta("property", "og:image") == f"{SITE_URL}img/02/cover.jpeg"
    assert meta("name", "twitter:card") == "summary_large_image"
    assert dt.datetime.fromisoformat(meta("property", "article:published_time")) == PUBLISHED


def test_cover_is_shown_under_the_title_with_its_alt_text(article, published_site):
    cover = article.select_one("figure.post-cover img")
    assert cover["src"] == "../../img/02/cover.jpeg"
    assert "veth" in cover["alt"]
    assert (published_site.site / "img" / "02" / "cover.jpeg").is_file()


def test_every_image_on_the_article_exists_in_the_site(article, published_site):
    base = published_site.site / "posts" / SLUG
    sources = [img["src"] for img in article.select("article img")]
    assert {"../../img/02/ifconfig.png", "../../img/02/curl.png"} <= set(sources)
    for src in sources:
        assert (base / src).resolve().is_file(), src


def test_show_toc_true_keeps_the_table_of_contents(article):
    toc = [a.get_text(strip=True) for a in article.select("nav.md-nav--secondary a.md-nav__link")]
    assert "1. Setup our virtual environment" in toc


def test_headings_have_permalinks(article):
    heading = article.find("h2", id="1-setup-our-virtual-environment")
    assert heading.select_one("a.headerlink")["href"] == "#1-setup-our-virtual-environment"


def test_a_draft_carries_a_visible_badge_in_preview_and_a_published_post_none(
    article, draft_previewed
):
    draft = soup(draft_previewed.site / "posts" / DRAFT_SLUG / "index.html")
    assert "Not published" in draft.select_one(".post-draft-badge").get_text()
    assert article.select_one(".post-draft-badge") is None


def test_untested_blocks_show_why_they_are_not_run(article):
    notes = [p.get_text(" ", strip=True) for p in article.select("p.noexec-note")]
    assert len(notes) == 3
    assert notes[0].startswith("Not run by the test suite: Installs software on your Mac")


def test_home_page_lists_the_post_with_cover_and_summary_not_the_whole_article(published_site):
    home = soup(published_site.site / "index.html")
    post = home.select_one("article.md-post--excerpt")
    assert post.select_one("h2 a")["href"] == f"posts/{SLUG}/"
    assert post.select_one("img")["src"] == "img/02/cover.jpeg"
    assert "Containers and Network Namespaces" in post.get_text()
    assert "Setup our virtual environment" not in post.get_text()
    assert post.select_one(".md-draft") is None


def test_preview_home_page_marks_the_draft(draft_previewed):
    home = soup(draft_previewed.site / "index.html")
    badges = {
        post.select_one("h2 a")["href"]: post.select_one(".md-draft")
        for post in home.select("article.md-post--excerpt")
    }
    assert badges[f"posts/{DRAFT_SLUG}/"].get_text(strip=True) == "Draft"
    assert badges[f"posts/{SLUG}/"] is None


def test_tags_categories_and_archive_pages_link_to_the_post(published_site):
    site = published_site.site
    tags = soup(site / "tags" / "index.html").get_text()
    assert {"Container", "Kubernetes", "Networking"} <= set(tags.split())
    for page in ("category/kubernetes", "category/networking", "archive/2023"):
        links = [a["href"] for a in soup(site / page / "index.html").select("article h2 a")]
        assert links == [f"../../posts/{SLUG}/"], page


def test_drafts_stay_out_of_the_feed_even_in_preview(draft_previewed):
    channel = ET.parse(draft_previewed.site / "index.xml").getroot().find("channel")
    assert [item.findtext("title") for item in channel.findall("item")] == [
        "Kubernetes: genesis of pod IP addresses"
    ]


def test_the_post_is_in_hugos_index_xml_feed_with_its_date(published_site):
    channel = ET.parse(published_site.site / "index.xml").getroot().find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Kubernetes: genesis of pod IP addresses"]
    assert items[0].findtext("link") == POST_URL
    assert email.utils.parsedate_to_datetime(items[0].findtext("pubDate")) == PUBLISHED
    assert items[0].findtext("description").strip().startswith("Containers and Network Namespaces")


def test_sitemap_and_search_index_know_the_article(published_site):
    assert f"<loc>{POST_URL}</loc>" in (published_site.site / "sitemap.xml").read_text()
    index = json.loads((published_site.site / "search" / "search_index.json").read_text())
    assert any(doc["location"].startswith(f"posts/{SLUG}/") for doc in index["docs"])


def test_theme_features_readers_expect_are_on(article):
    config = json.loads(article.select_one("script#__config").string)
    for feature in ("navigation.top", "content.tabs.link", "search.highlight", "content.lazy"):
        assert feature in config["features"], feature
    # Copy buttons come in the HTML (hooks/copy_buttons.py), not from Material's script.
    assert "content.code.copy" not in config["features"]
    assert len(article.select("article pre > nav > button[data-md-type=copy]")) > 50
    palettes = article.select("form[data-md-component=palette] input")
    assert [p["data-md-color-media"] for p in palettes] == [
        "(prefers-color-scheme)",
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    ]
    favicon = article.find("link", rel="icon")
    assert favicon["href"].endswith("assets/favicon.svg")


def test_reading_time_is_shown(article):
    assert "min read" in article.select_one(".md-post__meta").get_text()


def test_404_page_exists_and_is_themed(published_site):
    page = soup(published_site.site / "404.html")
    assert "404" in page.get_text() and page.select_one("header.md-header")


def test_theme_scripts_are_deferred_on_every_page(published_site):
    """The page paints before Material's bundle runs (overrides/main.html, block scripts)."""
    for page in ("index.html", f"posts/{SLUG}/index.html", "404.html", "tags/index.html"):
        scripts = soup(published_site.site / page).select("script[src]")
        names = [script["src"].rsplit("/", 1)[-1] for script in scripts]
        assert any(name.startswith("bundle.") for name in names), (page, names)
        assert "copy-commands.js" in names, (page, names)
        assert all(script.has_attr("defer") for script in scripts), (page, names)
