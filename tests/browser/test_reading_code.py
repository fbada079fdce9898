"""Console blocks read at a glance, on a phone and a laptop, light and dark.

Three voices (prompt, command, output), each readable on the code background and the command the
strongest; a copy button with a gutter of its own, visible before the pointer finds it; and on a
phone, lines that wrap instead of scrolling sideways, a long output line marked where it wraps.
"""

from __future__ import annotations

import pytest

from testkit.posts import PUBLISHED
from testkit.reading import (
    COLORS_JS,
    EACH_SCHEME,
    EACH_SCREEN,
    ICON_CONTRAST,
    TEXT_CONTRAST,
    contrast,
    open_screen,
    text_and_background,
)

EACH_POST = [pytest.param(post, id=post.slug) for post in PUBLISHED]
DRAW_EVERY_BLOCK = ".md-typeset div.highlight { content-visibility: visible; }"
# A console block with all three voices: a prompt, a command after it, and output.
THREE_VOICES = "div.language-console:has(.gp):has(.go)"


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("screen", EACH_SCREEN)
def test_prompt_command_and_output_are_three_readable_voices_the_command_strongest(
    open_page, published_server, screen, scheme
):
    post = PUBLISHED[0]
    tab = open_screen(open_page, published_server.url + post.path, screen, scheme)
    block = tab.page.locator(THREE_VOICES).first
    block.scroll_into_view_if_needed()
    voices = {
        "prompt": block.locator(".gp").first.evaluate(COLORS_JS),
        # The command is the code's own text (hooks/console_lines.py writes it unwrapped).
        "command": block.locator("code").evaluate(COLORS_JS),
        "output": block.locator(".go").first.evaluate(COLORS_JS),
    }
    colors = {name: text_and_background(found) for name, found in voices.items()}
    for name, (color, background) in colors.items():
        ratio = contrast(color, background)
        assert ratio >= TEXT_CONTRAST, f"{name}: {ratio:.2f}:1 on the code background"

    background = colors["command"][1]
    prompt, command, output = (colors[n][0].over(background) for n in colors)
    # The prompt does not look like output (a `> ` of diff output is not a continuation).
    assert max(abs(a - b) for a, b in zip(astuple(prompt), astuple(output), strict=True)) >= 60
    # The command is clearly heavier, or clearly another colour, than its output.
    heavier = int(voices["command"]["weight"]) - int(voices["output"]["weight"]) >= 300
    apart = contrast(command, output) >= 2.0
    assert heavier or apart, (voices["command"], voices["output"])


def astuple(color) -> tuple[float, float, float]:
    return (color.red, color.green, color.blue)


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("screen", EACH_SCREEN)
@pytest.mark.parametrize("post", EACH_POST)
def test_copy_button_has_its_own_gutter_and_is_visible_at_rest(
    open_page, published_server, post, screen, scheme
):
    tab = open_screen(open_page, published_server.url + post.path, screen, scheme)
    page = tab.page
    page.add_style_tag(content=DRAW_EVERY_BLOCK)
    page.mouse.move(0, 0)  # no hover: the button as a reader first sees it
    found = page.locator("div.highlight > pre:has(> nav.md-code__nav)").evaluate_all(
        """pres => pres.map(pre => {
            const code = pre.querySelector(":scope > code").getBoundingClientRect();
            const button = pre.querySelector(".md-code__button");
            const box = button.getBoundingClientRect();
            let opacity = 1;
            for (let node = button; node !== pre; node = node.parentElement) {
                opacity *= Number(getComputedStyle(node).opacity);
            }
            const overlap = Math.min(code.right, box.right) - Math.max(code.left, box.left) > 0.5
                && Math.min(code.bottom, box.bottom) - Math.max(code.top, box.top) > 0.5;
            return {overlap, opacity, id: pre.querySelector("code").id};
        })"""
    )
    assert found, "no code block with a copy button"
    assert [block["id"] for block in found if block["overlap"]] == []
    assert {block["opacity"] for block in found} == {1}

    button = page.locator(".md-code__button").first
    button.scroll_into_view_if_needed()
    color, background = text_and_background(button.evaluate(COLORS_JS))
    assert contrast(color, background) >= ICON_CONTRAST


@pytest.mark.parametrize("scheme", EACH_SCHEME)
@pytest.mark.parametrize("post", EACH_POST)
def test_on_a_phone_console_lines_wrap_and_long_output_lines_carry_a_wrap_mark(
    open_page, published_server, post, scheme
):
    tab = open_screen(open_page, published_server.url + post.path, "phone", scheme)
    page = tab.page
    page.add_style_tag(content=DRAW_EVERY_BLOCK)
    scrolling = page.locator("div.language-console > pre > code").evaluate_all(
        "codes => codes.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent)"
    )
    assert [text[:60] for text in scrolling] == []

    wrapped = page.locator("div.language-console .go .wrap").evaluate_all(
        """lines => lines.map(line => {
            const style = getComputedStyle(line);
            const rows = Math.round(line.getBoundingClientRect().height
                                    / parseFloat(style.lineHeight));
            return {rows, mark: style.backgroundImage, text: line.textContent.slice(0, 40)};
        })"""
    )
    continued = [line for line in wrapped if line["rows"] > 1]
    assert continued, "no output line wraps on a phone: nothing shows the wrap mark"
    assert [line["text"] for line in continued if "gradient" not in line["mark"]] == []
