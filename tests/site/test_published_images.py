"""The published pages offer WebP for every raster image, and code without whitespace spans."""

from __future__ import annotations

from PIL import Image

from testkit.posts import PUBLISHED, image_links
from testkit.site_build import SLUG, add_illustrated, build, copy_sources, soup

ARTICLE_POST = next(post for post in PUBLISHED if post.slug == SLUG)
RASTERS = (".png", ".jpg", ".jpeg")


def test_every_raster_image_of_the_article_comes_with_a_smaller_webp(article, published_site):
    base = published_site.site / "posts" / SLUG
    rasters = [img for img in article.select("article img") if img["src"].endswith(RASTERS)]
    shown = [ARTICLE_POST.cover_image, *image_links(ARTICLE_POST)]
    assert len(rasters) == len([link for link in shown if link.endswith(RASTERS)])
    assert rasters
    for img in rasters:
        picture = img.parent
        assert picture.name == "picture", img["src"]
        original = (base / img["src"]).resolve()
        source = picture.find("source")
        assert source["type"] == "image/webp"
        assert (source["width"], source["height"]) == (img["width"], img["height"])
        with Image.open(original) as image:
            assert (img["width"], img["height"]) == (str(image.width), str(image.height))
        for candidate in source["srcset"].split(", "):
            href, *descriptor = candidate.split()
            webp = (base / href).resolve()
            with Image.open(webp) as image:
                assert image.format == "WEBP", href
                assert descriptor in ([], [f"{image.width}w"]), candidate
            assert webp.stat().st_size < original.stat().st_size, href


def test_phones_get_a_cover_under_a_quarter_of_the_jpeg(article, published_site):
    picture = article.select_one("figure.post-cover picture")
    phone = picture.source["srcset"].split(", ")[0].split()
    assert phone[1] == "720w"
    base = published_site.site / "posts" / SLUG
    webp, jpeg = (base / phone[0]).resolve(), (base / picture.img["src"]).resolve()
    assert jpeg.suffix in (".jpg", ".jpeg")
    assert webp.stat().st_size * 4 < jpeg.stat().st_size


def test_the_home_page_cover_is_offered_as_webp_too(published_site):
    home = soup(published_site.site / "index.html")
    assert home.select_one(".post-list-cover picture source[type='image/webp']") is not None


def test_highlighted_code_carries_no_whitespace_spans(article):
    code = article.select(".highlight code")
    assert code
    assert article.select(".highlight span.w") == []
    # Pygments' other tokens are still there: the colours stay.
    assert article.select(".language-console .gp")


def test_the_first_cover_of_a_list_loads_at_once(tmp_path):
    """It is on the first screen; covers further down wait until the reader scrolls."""
    # One post more than the real ones, with a cover of its own: a list of at least two.
    project = add_illustrated(copy_sources(tmp_path / "one-more-post"))
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    home = soup(result.site / "index.html")
    covers = home.select(".post-list-cover img")
    assert len(covers) == len(PUBLISHED) + 1
    assert (covers[0]["loading"], covers[0]["fetchpriority"]) == ("eager", "high")
    assert covers[1]["loading"] == "lazy" and not covers[1].has_attr("fetchpriority")
