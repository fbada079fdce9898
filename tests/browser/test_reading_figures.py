"""Figures as readers see them: whole and legible inline on a phone, open full size, dark in dark
mode; and a diagram's narrow variant says what its wide drawing says, in the same colours.

The smallest text of a figure, in CSS pixels, is its smallest drawn font size times the scale it
is shown at: its shown width over its ``viewBox`` width, both of the file the browser chose
(``currentSrc``: on a phone, a diagram's ``<name>.narrow.svg``, hooks/figure_links.py). Figures are
SVG (terminal output is text, not pictures), so a raster figure fails: its text size cannot be
read.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

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
NARROW_VARIANTS = [
    pytest.param(narrow, id=narrow.name) for narrow in sorted(REPO.glob("img/**/*.narrow.svg"))
]


def smallest_svg_text(svg_path: Path) -> tuple[float, float]:
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
    """Each figure: its ``src``, the file shown, its shown width and right edge, the article
    column's right edge (the figure's paragraph), whether its box scrolls sideways and the note
    its link shows after it (extra.css's "Scroll sideways" cue, or none)."""
    return page.locator("article img").evaluate_all(
        """imgs => imgs.filter(img => !img.closest('.post-cover')).map(img => {
            const box = img.getBoundingClientRect(), link = img.closest('a');
            const column = img.closest('p').getBoundingClientRect();
            return {src: img.getAttribute('src'), current: img.currentSrc,
                    width: box.width, right: box.right, column_right: column.right,
                    scrolls: link !== null && link.scrollWidth > link.clientWidth,
                    note: link ? getComputedStyle(link, '::after').content : 'none',
                    href: link ? link.href : null};
        })"""
    )


def loaded_figures(open_page, url: str, screen: str) -> list[dict]:
    """The figures of the page at ``url`` on ``screen``, every one loaded (none left lazy)."""
    tab = open_screen(open_page, url, screen, "light")
    page = tab.page
    page.evaluate("document.querySelectorAll('article img').forEach(i => i.loading = 'eager')")
    page.wait_for_load_state("networkidle")
    page.locator("article img").evaluate_all("imgs => Promise.all(imgs.map(i => i.decode()))")
    figures = figures_of(page)
    assert figures, "no figure on the post"
    assert tab.traffic.errors == []
    return figures


def shown_file(figure: dict) -> Path:
    """The repository file of the image the browser shows (the site publishes img/ as /img/)."""
    return REPO / unquote(urlsplit(figure["current"]).path).lstrip("/")


@pytest.mark.parametrize("post", WITH_FIGURES)
def test_every_figure_text_is_at_least_11_css_px_on_a_phone(open_page, published_server, post):
    figures = loaded_figures(open_page, published_server.url + post.path, "phone")
    too_small = {}
    for figure in figures:
        file = shown_file(figure)
        assert file.suffix == ".svg", f"{file.name}: draw figures as SVG, with their text"
        font, drawn_width = smallest_svg_text(file)
        shown = font * figure["width"] / drawn_width
        if shown < MIN_TEXT_PX:
            too_small[file.name] = round(shown, 1)
    assert too_small == {}


@pytest.mark.parametrize("post", WITH_FIGURES)
def test_every_figure_is_seen_whole_on_a_phone_with_no_sideways_scroll(
    open_page, published_server, post
):
    figures = loaded_figures(open_page, published_server.url + post.path, "phone")
    wider = {
        shown_file(f).name: (round(f["right"]), round(f["column_right"]))
        for f in figures
        if f["right"] > f["column_right"] + 0.5 or f["scrolls"]
    }
    assert wider == {}, "figure: (its right edge, the column's)"
    told_to_scroll = [shown_file(f).name for f in figures if f["note"] not in ("none", "normal")]
    assert told_to_scroll == [], "a figure that fits says to scroll sideways"


@pytest.mark.parametrize("post", WITH_FIGURES)
def test_a_laptop_shows_the_wide_drawing_of_every_figure(open_page, published_server, post):
    figures = loaded_figures(open_page, published_server.url + post.path, "laptop")
    shown = {f["src"]: f["current"] for f in figures}
    assert shown == {f["src"]: urljoin(published_server.url + post.path, f["src"]) for f in figures}


def drawn_ratio(svg_path: Path) -> float:
    """Width over height of an SVG file's viewBox."""
    _, _, width, height = ET.parse(svg_path).getroot().get("viewBox").split()
    return float(width) / float(height)


@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("post", WITH_FIGURES)
def test_every_figure_keeps_the_shape_of_the_file_chosen_before_its_bytes_arrive(
    open_page, published_server, post, screen
):
    """With the SVG files held back, each figure already has the shape of the drawing the screen
    gets (the narrow one's from its <source> on a phone), so the text below it stays put."""
    tab = open_screen(open_page, None, screen, "light")
    held = []

    def hold(route) -> None:  # never answered while the test looks (Playwright wants a function)
        held.append(route)

    tab.page.route("**/*.svg", hold)
    tab.page.goto(published_server.url + post.path, wait_until="domcontentloaded")
    boxes = tab.page.locator("p.figure img").evaluate_all(
        "imgs => imgs.map(img => [img.getAttribute('src'), img.getBoundingClientRect().width,"
        " img.getBoundingClientRect().height])"
    )
    assert boxes, "no figure on the post"
    assert held, "no figure was asked for, so none was held back"
    misshapen = {}
    for src, width, height in boxes:
        wide = REPO / re.sub(r"^(\.\./)+", "", src)
        narrow = wide.with_name(wide.stem + ".narrow.svg")
        drawing = narrow if screen == "phone" and narrow.is_file() else wide
        if height == 0 or width / height != pytest.approx(drawn_ratio(drawing), rel=0.02):
            misshapen[drawing.name] = (round(width), round(height))
    assert misshapen == {}, "drawing: (shown width, height) before it loaded"


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
@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("post", WITH_FIGURES)
def test_diagrams_follow_the_colour_scheme_and_screenshots_are_kept(
    open_page, published_server, artifacts: Path, *, post, screen, scheme
):
    tab = open_screen(open_page, published_server.url + post.path, screen, scheme)
    page = tab.page
    diagrams = page.locator("article img[src$='.svg']")
    assert diagrams.count() > 0
    for index in range(diagrams.count()):
        diagram = diagrams.nth(index)
        diagram.scroll_into_view_if_needed()
        diagram.evaluate("img => img.decode()")
        shown = diagram.evaluate("img => img.currentSrc")
        name = Path(urlsplit(shown).path).stem.removesuffix(".narrow")
        png = artifacts / f"figure-{name}-{screen}-{scheme}.png"
        lightness = mean_lightness(diagram.screenshot(path=png))
        if scheme == "light":
            assert lightness > 0.6, (shown, lightness)
        else:
            assert lightness < 0.35, (shown, lightness)


# ---------------------------------------------------------------- a narrow variant's content

_COLOUR_ATTRIBUTES = ("fill", "stroke")


def words_and_colours(svg_path: Path) -> tuple[set[str], set[str]]:
    """The words of an SVG's text (however its lines are broken) and the colours it paints."""
    root = ET.parse(svg_path).getroot()
    words = {word for text in root.iter(f"{SVG}text") for word in "".join(text.itertext()).split()}
    colours = {
        element.get(attribute).lower()
        for element in root.iter()
        for attribute in _COLOUR_ATTRIBUTES
        if (element.get(attribute) or "none").startswith("#")
    }
    return words, colours


@pytest.mark.parametrize("narrow", NARROW_VARIANTS)
def test_a_narrow_variant_says_what_its_wide_drawing_says_in_its_colours(narrow: Path):
    wide = narrow.with_name(narrow.name.removesuffix(".narrow.svg") + ".svg")
    assert wide.is_file(), f"{narrow.name}: no wide drawing {wide.name} beside it"
    narrow_words, narrow_colours = words_and_colours(narrow)
    wide_words, wide_colours = words_and_colours(wide)
    differences = {
        "words only in the narrow one": narrow_words - wide_words,
        "words only in the wide one": wide_words - narrow_words,
        "colours only in the narrow one": narrow_colours - wide_colours,
        "colours only in the wide one": wide_colours - narrow_colours,
    }
    assert {what: found for what, found in differences.items() if found} == {}


@pytest.mark.parametrize("narrow", NARROW_VARIANTS)
def test_a_narrow_variant_is_drawn_for_a_phone_column_with_text_of_12_units(narrow: Path):
    font, width = smallest_svg_text(narrow)
    assert 320 <= width <= 358, f"{narrow.name}: {width} units wide, for a 358 px column"
    assert font >= 12, f"{narrow.name}: text of {font} units"
