"""Chromium picks the WebP that fits the screen, and the `sizes` the hook writes is the truth.

The `sizes` of a WebP <source> tells the browser how wide the image shows before any CSS is
loaded: hooks/webp_images.py writes it for article images (SLOT_WIDTHS), the post list template
for its covers. If Material's layout changes, the browser would fetch the wrong file. These
tests render the pages at several widths and compare.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

import pytest

from testkit.browsing import ARTICLE_PATH
from testkit.posts import PUBLISHED, body_lines
from testkit.site_build import SLUG

COVER = "figure.post-cover img"
# The article's cover (img/02/cover.jpeg) and the WebP versions the build makes of it, read from
# its front matter: another cover needs no edit here.
COVER_FILE = PurePosixPath(next(post.cover_uri for post in PUBLISHED if post.slug == SLUG))
COVER_WEBP = COVER_FILE.with_suffix(".webp")
COVER_PHONE_WEBP = COVER_FILE.with_name(f"{COVER_FILE.stem}-720w.webp")
# The article's raster images: its cover, and each PNG or JPEG its Markdown shows.
RASTER_IMAGES = 1 + sum(
    len(re.findall(r"!\[[^\]]*\]\([^)\s]+\.(?:png|jpe?g)\b", line))
    for line in body_lines(next(post for post in PUBLISHED if post.slug == SLUG))
)
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True}

# The width the `sizes` of an image's WebP <source> announces at the current viewport: the first
# entry whose media query matches, its length measured by laying out a box that wide.
SLOT_WIDTH_JS = """img => {
    const sizes = img.parentElement.querySelector("source").getAttribute("sizes");
    const entries = sizes.split(", ").map(entry => entry.startsWith("(")
        ? [entry.slice(0, entry.indexOf(")") + 1), entry.slice(entry.indexOf(")") + 2)]
        : ["", entry]);
    const [, width] = entries.find(([media]) => media === "" || matchMedia(media).matches);
    const probe = document.createElement("div");
    probe.style.cssText = `position: absolute; visibility: hidden; width: ${width}`;
    document.body.append(probe);
    const measured = probe.getBoundingClientRect().width;
    probe.remove();
    return measured;
}"""


def fetched_images(tab) -> list[str]:
    urls = tab.page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    return [url.rsplit("/", 1)[-1] for url in urls if "/img/" in url]


def test_a_phone_fetches_the_phone_sized_webp_cover_and_nothing_bigger(open_page, published_server):
    tab = open_page(published_server.url + ARTICLE_PATH, **PHONE)
    cover = tab.page.locator(COVER)
    assert cover.evaluate("img => img.currentSrc").endswith(f"/{COVER_PHONE_WEBP}")
    fetched = fetched_images(tab)
    assert COVER_PHONE_WEBP.name in fetched
    assert {COVER_FILE.name, COVER_WEBP.name}.isdisjoint(fetched)


def test_a_wide_retina_screen_fetches_the_full_sized_webp_cover(open_page, published_server):
    tab = open_page(published_server.url + ARTICLE_PATH, device_scale_factor=2)
    assert tab.page.locator(COVER).evaluate("img => img.currentSrc").endswith(f"/{COVER_WEBP}")


@pytest.mark.parametrize("width", [360, 412, 768, 1000, 1366, 1700, 2100])
@pytest.mark.parametrize(
    ("path", "cover"),
    [(ARTICLE_PATH, COVER), ("", ".post-list-cover img")],
    ids=["article", "home"],
)
def test_sizes_matches_the_width_the_cover_is_shown_at(
    open_page, published_server, width, path, cover
):
    tab = open_page(published_server.url + path, viewport={"width": width, "height": 900})
    image = tab.page.locator(cover).first
    shown = image.evaluate("img => img.getBoundingClientRect().width")
    assert image.evaluate(SLOT_WIDTH_JS) == pytest.approx(shown, abs=1.5)


def test_images_keep_their_room_before_their_bytes_arrive(open_page, published_server):
    """With every image request held back, each raster image already has its final shape."""
    tab = open_page()
    tab.page.route("**/img/**", lambda route: route.abort())
    tab.page.goto(published_server.url + ARTICLE_PATH, wait_until="load")
    boxes = tab.page.evaluate(
        """[...document.querySelectorAll("article picture img:not([src$='.svg'])")].map(img => [
            img.getAttribute("src"), img.getBoundingClientRect().width,
            img.getBoundingClientRect().height,
            img.getAttribute("width") / img.getAttribute("height")])"""
    )
    assert len(boxes) == RASTER_IMAGES
    for src, width, height, ratio in boxes:
        assert height > 0 and width / height == pytest.approx(ratio, rel=0.02), src
