"""The built site has what a blog reader expects, at Hugo's URLs, from the Hugo front matter."""

from __future__ import annotations

import datetime as dt
import email.utils
import itertools
import json
import xml.etree.ElementTree as ET

import pytest

from testkit.posts import PUBLISHED, Post, headings, hugo_order, image_links, noexec_reasons
from testkit.site_build import DRAFT_SLUG, SLUG, soup

SITE_URL = "https://blog.example.org/"
EACH_POST = [pytest.param(post, id=post.slug) for post in PUBLISHED]
ARTICLE_POST = next(post for post in PUBLISHED if post.slug == SLUG)


def shown(heading: str) -> str:
    """A Markdown heading as the page shows it: inline code and emphasis marks gone."""
    return heading.replace("`", "").replace("*", "")


def page_of(published_site, post: Post):
    return soup(published_site.site / post.path / "index.html")


def test_every_post_the_front_matter_publishes_has_its_page(published_site):
    """Read from docs/posts/ (draft: false), so a new post needs no edit here."""
    assert SLUG in [post.slug for post in PUBLISHED]
    missing = [post.slug for post in PUBLISHED if not (published_site.site / post.path).is_dir()]
    assert missing == []


def test_production_build_leaves_drafts_out_of_every_page_feed_and_index(draft_left_out):
    site = draft_left_out.site
    assert (site / "posts" / SLUG / "index.html").is_file()
    assert not (site / "posts" / DRAFT_SLUG).exists()
    for page in ("index.html", "404.html", "tags/index.html", "sitemap.xml", "index.xml"):
        assert (site / page).is_file(), page
        assert DRAFT_SLUG not in (site / page).read_text(encoding="utf-8"), page
    assert DRAFT_SLUG not in (site / "search" / "search_index.json").read_text()
    assert not (site / "category" / "linux").exists()


@pytest.mark.parametrize("post", EACH_POST)
def test_each_post_lives_at_hugos_url_with_title_date_and_tags(published_site, post):
    page = page_of(published_site, post)
    assert page.h1.get_text(strip=True) == post.title
    assert page.title.get_text() == f"{post.title} - Pod Networking Notes"
    times = {t["datetime"] for t in page.select("time")}
    assert any(dt.datetime.fromisoformat(stamp) == post.date for stamp in times), times
    tags = [a.get_text(strip=True) for a in page.select(".md-tags .md-tag")]
    assert tags == sorted(post.tags)


@pytest.mark.parametrize("post", EACH_POST)
def test_summary_is_the_meta_description_and_social_cards_use_absolute_urls(published_site, post):
    page = page_of(published_site, post)

    def meta(attr: str, name: str) -> str:
        return page.find("meta", attrs={attr: name})["content"]

    assert meta("name", "description") == post.summary
    assert meta("property", "og:description") == post.summary
    assert meta("property", "og:title") == post.title
    assert meta("property", "og:url") == f"{SITE_URL}{post.path}"
    assert meta("property", "og:image") == f"{SITE_URL}{post.cover_uri}"
    assert meta("name", "twitter:card") == "summary_large_image"
    assert dt.datetime.fromisoformat(meta("property", "article:published_time")) == post.date


@pytest.mark.parametrize("post", EACH_POST)
def test_cover_is_shown_under_the_title_with_its_alt_text(published_site, post):
    cover = page_of(published_site, post).select_one("figure.post-cover img")
    assert cover["src"] == f"../../{post.cover_uri}"
    assert cover["alt"] == post.cover_alt != ""
    assert (published_site.site / post.cover_uri).is_file()


def test_each_post_has_a_cover_of_its_own():
    covers = [post.cover_uri for post in PUBLISHED]
    assert len(set(covers)) == len(covers), covers


@pytest.mark.parametrize("post", EACH_POST)
def test_every_image_on_a_post_exists_in_the_site(published_site, post):
    base = published_site.site / post.path
    sources = [img["src"] for img in page_of(published_site, post).select("article img")]
    assert sources
    for src in sources:
        assert (base / src).resolve().is_file(), src


@pytest.mark.parametrize("post", EACH_POST)
def test_every_image_a_post_shows_is_on_its_page(published_site, post):
    sources = {img["src"] for img in page_of(published_site, post).select("article img")}
    # The page lives one folder below the Markdown file (posts/<file>/).
    assert {f"../{link}" for link in image_links(post)} <= sources


def test_each_post_links_to_the_next_and_back(published_site):
    links = {
        post.slug: {a["href"] for a in page_of(published_site, post).select("article a[href]")}
        for post in PUBLISHED
    }
    in_order = sorted(PUBLISHED, key=lambda post: post.date)
    for earlier, later in itertools.pairwise(in_order):
        assert f"../{later.slug}/" in links[earlier.slug]
        assert any(href.startswith(f"../{earlier.slug}/") for href in links[later.slug])


def test_show_toc_true_keeps_the_table_of_contents(article):
    toc = [a.get_text(strip=True) for a in article.select("nav.md-nav--secondary a.md-nav__link")]
    sections = [shown(heading) for heading in headings(ARTICLE_POST)]
    assert sections
    assert set(sections) <= set(toc)
    # showToc: false hides the sidebar that holds it (hide: [toc]); the links stay in the HTML.
    assert not article.select_one("div.md-sidebar--secondary").has_attr("hidden")


def test_headings_have_permalinks(article):
    sections = article.select("article h2[id]")
    assert len(sections) == len(headings(ARTICLE_POST))
    for heading in sections:
        assert heading.select_one("a.headerlink")["href"] == f"#{heading['id']}"


def test_a_draft_carries_a_visible_badge_in_preview_and_a_published_post_none(
    article, draft_previewed
):
    draft = soup(draft_previewed.site / "posts" / DRAFT_SLUG / "index.html")
    assert "Not published" in draft.select_one(".post-draft-badge").get_text()
    assert article.select_one(".post-draft-badge") is None


def test_untested_blocks_show_why_they_are_not_run(article):
    markers = article.select("p.noexec-note abbr")
    reasons = noexec_reasons(ARTICLE_POST)
    assert reasons, "the article marks no block noexec: test the markers on a specimen"
    assert [marker.get_text(strip=True) for marker in markers] == ["not run by the tests"] * len(
        reasons
    )
    assert [marker["title"] for marker in markers] == reasons


def test_home_page_lists_every_post_in_hugos_order_with_cover_and_summary(published_site):
    home = soup(published_site.site / "index.html")
    listed = home.select("article.md-post--excerpt")
    assert [item.select_one("h2 a")["href"] for item in listed] == [
        post.path for post in hugo_order(PUBLISHED)
    ]
    for item, post in zip(listed, hugo_order(PUBLISHED), strict=True):
        assert item.select_one("img")["src"] == post.cover_uri
        assert post.summary in item.get_text(" ", strip=True)
        assert item.select_one(".md-draft") is None
    # A list shows a post's summary, not its sections.
    for post in PUBLISHED:
        for heading in headings(post):
            assert shown(heading) not in home.get_text(), heading


def test_preview_home_page_marks_the_draft(draft_previewed):
    home = soup(draft_previewed.site / "index.html")
    badges = {
        post.select_one("h2 a")["href"]: post.select_one(".md-draft")
        for post in home.select("article.md-post--excerpt")
    }
    assert badges[f"posts/{DRAFT_SLUG}/"].get_text(strip=True) == "Draft"
    assert badges[f"posts/{SLUG}/"] is None


def test_tags_page_lists_every_tag_with_its_posts(published_site):
    tags = soup(published_site.site / "tags" / "index.html")
    for tag in sorted({tag for post in PUBLISHED for tag in post.tags}):
        heading = tags.find("h2", id=f"tag:{tag.lower()}")
        assert heading.select_one(".md-tag").get_text(strip=True) == tag
        links = {a["href"] for a in heading.find_next_sibling("ul").select("a")}
        assert links == {f"../{post.path}" for post in PUBLISHED if tag in post.tags}, tag


def test_category_and_archive_pages_list_their_posts(published_site):
    site = published_site.site
    pages = {f"category/{c.lower()}": c for post in PUBLISHED for c in post.categories}
    for page, category in pages.items():
        links = [a["href"] for a in soup(site / page / "index.html").select("article h2 a")]
        wanted = [p for p in hugo_order(PUBLISHED) if category in p.categories]
        assert links == [f"../../{p.path}" for p in wanted], page
    for year in {post.date.year for post in PUBLISHED}:
        page = site / "archive" / str(year) / "index.html"
        links = {a["href"] for a in soup(page).select("article h2 a")}
        assert links == {f"../../{p.path}" for p in PUBLISHED if p.date.year == year}, year


def test_drafts_stay_out_of_the_feed_even_in_preview(draft_previewed):
    channel = ET.parse(draft_previewed.site / "index.xml").getroot().find("channel")
    titles = {item.findtext("title") for item in channel.findall("item")}
    assert titles == {post.title for post in PUBLISHED}


def test_every_post_is_in_hugos_index_xml_feed_with_its_date_and_summary(published_site):
    channel = ET.parse(published_site.site / "index.xml").getroot().find("channel")
    items = {item.findtext("link"): item for item in channel.findall("item")}
    assert set(items) == {f"{SITE_URL}{post.path}" for post in PUBLISHED}
    for post in PUBLISHED:
        item = items[f"{SITE_URL}{post.path}"]
        assert item.findtext("title") == post.title
        assert email.utils.parsedate_to_datetime(item.findtext("pubDate")) == post.date
        assert item.findtext("description").strip().startswith(post.summary)


def test_sitemap_and_search_index_know_every_post(published_site):
    sitemap = (published_site.site / "sitemap.xml").read_text()
    index = json.loads((published_site.site / "search" / "search_index.json").read_text())
    for post in PUBLISHED:
        assert f"<loc>{SITE_URL}{post.path}</loc>" in sitemap, post.slug
        assert any(doc["location"].startswith(post.path) for doc in index["docs"]), post.slug


def test_theme_features_readers_expect_are_on(article):
    config = json.loads(article.select_one("script#__config").string)
    for feature in ("navigation.top", "content.tabs.link", "search.highlight", "content.lazy"):
        assert feature in config["features"], feature
    # Copy buttons come from the site's script (assets/copy-commands.js, checked in a browser by
    # tests/browser/test_code_blocks.py), not from Material's: neither weighs on the HTML.
    assert "content.code.copy" not in config["features"]
    assert not article.select("button[data-md-type=copy]")
    palettes = article.select("form[data-md-component=palette] input")
    assert [p["data-md-color-media"] for p in palettes] == [
        "(prefers-color-scheme)",
        "(prefers-color-scheme: light)",
        "(prefers-color-scheme: dark)",
    ]
    favicon = article.find("link", rel="icon")
    assert favicon["href"].endswith("assets/favicon.svg")


@pytest.mark.parametrize("post", EACH_POST)
def test_reading_time_is_shown(published_site, post):
    assert "min read" in page_of(published_site, post).select_one(".post-byline").get_text()


@pytest.mark.parametrize("post", EACH_POST)
def test_the_byline_links_each_category_of_the_post(published_site, post):
    """Material's post sidebar is left out (overrides/hugo-post.html): the byline carries what
    it showed, the categories among them, each a link to its page."""
    page = page_of(published_site, post)
    assert page.select_one(".md-sidebar--post") is None
    links = page.select(".post-byline__categories a")
    assert [a.get_text() for a in links] == list(post.categories)
    for link in links:
        target = link["href"].replace("../../", "")
        assert (published_site.site / target / "index.html").is_file(), link["href"]


def test_404_page_exists_and_is_themed(published_site):
    page = soup(published_site.site / "404.html")
    assert "404" in page.get_text() and page.select_one("header.md-header")


def test_theme_scripts_are_deferred_and_the_sites_own_are_in_every_page(published_site):
    """The page paints before Material's bundle runs (overrides/main.html, block scripts); the
    site's own script and styles are written into the page (hooks/inline_assets.py), after
    the content the script works on, and Material's palette is there as its subset
    (hooks/palette_subset.py)."""
    posts = [f"{post.path}index.html" for post in PUBLISHED]
    for page in ("index.html", *posts, "404.html", "tags/index.html"):
        html = soup(published_site.site / page)
        scripts = html.select("script[src]")
        names = [script["src"].rsplit("/", 1)[-1] for script in scripts]
        assert any(name.startswith("bundle.") for name in names), (page, names)
        assert all(script.has_attr("defer") for script in scripts), (page, names)
        inline = [script.get_text() for script in html.select("script:not([src])")]
        # The site's own scripts, in mkdocs.yml's order, are the page's last.
        assert "addCopyButtons();" in inline[-2], (page, inline[-2][:80])
        assert "addLabButtons();" in inline[-1], (page, inline[-1][:80])
        styles = " ".join(style.get_text() for style in html.select("head style"))
        assert "[data-md-color-scheme=slate]{" in styles and ".post-cover img" in styles, page
        links = [link["href"] for link in html.select("link[rel=stylesheet]")]
        assert [href.rsplit("/", 1)[-1].split(".")[0] for href in links] == ["main"], (page, links)
