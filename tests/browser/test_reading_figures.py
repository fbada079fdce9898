"""Figures as readers see them: legible inline on a phone, open full size, dark in dark mode.

The smallest text of a figure, in CSS pixels, is its smallest drawn font size times the scale it
is shown at: its smallest ``font-size`` over its ``viewBox`` width. Figures are SVG (terminal
output is text, not pictures), so a raster figure fails: its text size cannot be read.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest
from PIL import Image, ImageStat

from testkit.paths import REPO
from testkit.posts import PUBLISHED
from testkit.reading import EACH_SCHEME, EACH_SCREEN, open_screen

MIN_TEXT_PX = 11
WITH_FIGURES = [
    pytest.param(post, id=post.slug) for post in PUBLISHED if "](../img/" in post.source.read_text()
]
SVG = "{http://www.w3.org/2000/svg}"


def smallest_svg_text(svg_path) -> tuple[float, float]:
    """(smallest font-size, viewBox width) of an SVG file."""
    root = ET.parse(svg_path).getroot()
    width = float(root.get("viewBox").split()[2])
    sizes = [
        float(element.get("font-size"))
        for element in root.iter()
        if element.get("font-size") and element.tag.startswith(SVG)
    ]
    return min(sizes), width


def figures_of(page) -> list[dict]:
    return page.locator("article img").evaluate_all(
        """imgs => imgs.filter(img => !img.closest('.post-cover')).map(img => ({
            src: img.getAttribute('src'), current: img.currentSrc || img.src,
            width: img.getBoundingClientRect().width, natural: img.naturalWidth,
            href: img.closest('a') ? img.closest('a').href : null}))"""
    )


@pytest.mark.parametrize("post", WITH_FIGURES)
def test_every_figure_text_is_at_least_11_css_px_on_a_phone(open_page, published_server, post):
    tab = open_screen(open_page, published_server.url + post.path, "phone", "light")
    page = tab.page
    page.evaluate("document.querySelectorAll('article img').forEach(i => i.loading = 'eager')")
    page.wait_for_load_state("networkidle")
    figures = figures_of(page)
    assert figures, "no figure on the post"
    too_small = {}
    for figure in figures:
        file = REPO / re.sub(r"^(\.\./)+", "", figure["src"])
        assert file.suffix == ".svg", f"{file.name}: draw figures as SVG, with their text"
        font, drawn_width = smallest_svg_text(file)
        shown = font * figure["width"] / drawn_width
        if shown < MIN_TEXT_PX:
            too_small[file.name] = round(shown, 1)
    assert too_small == {}


@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("post", WITH_FIGURES)
def test_every_figure_opens_full_size_from_a_link_to_its_file(
    open_page, published_server, post, screen
):
    tab = open_screen(open_page, published_server.url + post.path, screen, "light")
    page = tab.page
    figures = figures_of(page)
    assert [f["src"] for f in figures if f["href"] is None] == []
    for figure in figures:
        file_url = urljoin(page.url, figure["src"])
        assert figure["href"] == file_url
        response = page.request.get(figure["href"])
        assert response.status == 200, figure["href"]
        assert response.headers["content-type"].startswith("image/")
    assert tab.traffic.errors == []


def mean_lightness(png: bytes) -> float:
    """0 (black) to 1 (white): how light a screenshot is overall."""
    return ImageStat.Stat(Image.open(io.BytesIO(png)).convert("L")).mean[0] / 255


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("post", WITH_FIGURES)
def test_diagrams_follow_the_colour_scheme(open_page, published_server, post, scheme):
    tab = open_screen(open_page, published_server.url + post.path, "laptop", scheme)
    page = tab.page
    diagrams = page.locator("article img[src$='.svg']")
    assert diagrams.count() > 0
    for index in range(diagrams.count()):
        diagram = diagrams.nth(index)
        diagram.scroll_into_view_if_needed()
        diagram.evaluate("img => img.decode()")
        lightness = mean_lightness(diagram.screenshot())
        src = diagram.get_attribute("src")
        if scheme == "light":
            assert lightness > 0.6, (src, lightness)
        else:
            assert lightness < 0.35, (src, lightness)
