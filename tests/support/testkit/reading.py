"""What the reading tests share: the screens readers use, colours as the eye gets them, screenshots.

The reading tests (tests/browser/test_reading_*.py) look at the published site the way issue 22's
readers did: a phone (390x844) and a laptop (1280x800), each in the light and the dark scheme.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from testkit.browsing import Tab

if TYPE_CHECKING:
    from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SCREENS = {"phone": PHONE, "laptop": LAPTOP}
SCHEMES = ("light", "dark")
EACH_SCREEN = [pytest.param(name, id=name) for name in SCREENS]
EACH_SCHEME = [pytest.param(scheme, id=scheme) for scheme in SCHEMES]
# WCAG 2 AA: body text 4.5:1; a control's icon (the copy button) 3:1.
TEXT_CONTRAST = 4.5
ICON_CONTRAST = 3.0


def open_screen(open_page: Callable[..., Tab], url: str | None, screen: str, scheme: str) -> Tab:
    """A page as a reader gets it on ``screen`` (a phone is touch and mobile) in ``scheme``."""
    phone = screen == "phone"
    tab = open_page(
        url,
        viewport=SCREENS[screen],
        color_scheme=scheme,
        is_mobile=phone,
        has_touch=phone,
    )
    if url is not None:
        expected = {"light": "default", "dark": "slate"}[scheme]
        assert tab.page.locator("body").get_attribute("data-md-color-scheme") == expected
    return tab


def keep_screenshot(page: Page, artifacts: Path, name: str) -> Path:
    """The first screen and the whole page, for a human to look at (tests/artifacts/)."""
    # A full-page capture is one tall frame: draw the code blocks that extra.css lets the
    # browser skip while they are off screen (content-visibility: auto).
    path = artifacts / f"{name}.png"
    page.screenshot(path=path)
    page.add_style_tag(content=".md-typeset div.highlight { content-visibility: visible; }")
    page.screenshot(path=artifacts / f"{name}-full.png", full_page=True)
    return path


@dataclass(frozen=True)
class Rgba:
    red: float
    green: float
    blue: float
    alpha: float = 1.0

    def over(self, below: Rgba) -> Rgba:
        """This colour painted over an opaque ``below``."""
        a = self.alpha
        return Rgba(
            self.red * a + below.red * (1 - a),
            self.green * a + below.green * (1 - a),
            self.blue * a + below.blue * (1 - a),
        )

    def luminance(self) -> float:
        """WCAG 2's relative luminance."""

        def linear(channel: float) -> float:
            c = channel / 255
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * linear(self.red) + 0.7152 * linear(self.green) + 0.0722 * linear(self.blue)


_RGB = re.compile(r"rgba?\(([\d.]+),? ([\d.]+),? ([\d.]+)(?:,? /? ?([\d.]+))?\)")


def parse_color(css: str) -> Rgba:
    """A computed CSS colour (Chromium writes ``rgb(r, g, b)`` or ``rgba(r, g, b, a)``)."""
    match = _RGB.fullmatch(css.strip())
    if match is None:
        raise ValueError(f"not a computed rgb() colour: {css!r}")
    red, green, blue, alpha = match.groups()
    return Rgba(float(red), float(green), float(blue), float(alpha) if alpha else 1.0)


def contrast(foreground: Rgba, background: Rgba) -> float:
    """WCAG 2's contrast ratio of a (maybe translucent) colour over an opaque background."""
    lighter, darker = sorted(
        (foreground.over(background).luminance(), background.luminance()), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


# The colour an element's text is drawn in and the opaque colour behind it: the first
# ancestor's background that is not transparent, painted over the page's.
COLORS_JS = """el => {
    const styles = [];
    for (let node = el; node; node = node.parentElement) {
        styles.push(getComputedStyle(node).backgroundColor);
    }
    return {color: getComputedStyle(el).color, backgrounds: styles,
            weight: getComputedStyle(el).fontWeight};
}"""


def focused_colors(element: Any) -> dict:
    """COLORS_JS of a button with the keyboard's focus, once its transitions end. Material
    styles a focused button as a hovered one (one rule); focus needs no pointer, which a page
    still scrolling moves off the button."""
    element.focus()
    element.page.wait_for_function(
        "b => b.matches(':focus') && b.getAnimations().length === 0",
        arg=element.element_handle(),
        polling=100,
        timeout=5_000,
    )
    colors = element.evaluate(COLORS_JS)
    element.blur()
    return colors


def text_and_background(element_colors: dict) -> tuple[Rgba, Rgba]:
    """Parse COLORS_JS's answer: the text colour and the opaque colour behind it."""
    layers = [parse_color(css) for css in element_colors["backgrounds"]]
    background = Rgba(255, 255, 255)  # the canvas under everything
    for layer in reversed(layers):  # from the root up to the element
        if layer.alpha > 0:
            background = layer.over(background)
    return parse_color(element_colors["color"]), background
