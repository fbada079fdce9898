"""A reader's path through the lab in the page (issue #25, "done when"): on the site built with
the browser-lab image and served from 127.0.0.1, in Chromium at phone and desktop size, a click
on "Try it in your browser" gives a prompt within ten seconds (the snapshot restored), and a
block's button types what its output needs (the steps of its transcript before it, some shown
in earlier blocks, some on no page), so its commands print what the page shows, through the
lab's own comparison (lab/labrun/compare.py: volatile values masked as in every environment).
A second click on the same block goes back to the snapshot first, and prints the same again.

Marked `browserlab` (`make test-browser-lab`, the separate CI job). Skipped with the reason
where the image, v86 or Chromium is missing; failed instead when CI=true. The image is
BROWSER_LAB_IMAGE when set (a built image folder), else the one the current inputs make.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from labrun import compare, transcript
from testkit.browsing import (
    ARTICLE_PATH,
    ARTIFACTS,
    LAPTOP,
    MOBILE,
    Traffic,
)
from testkit.lab_log import outputs_in_order
from testkit.paths import LAB_DIR
from testkit.reading import COLORS_JS, contrast, text_and_background
from testkit.static_server import Server

pytestmark = pytest.mark.browserlab

SECTION = "3-what-is-a-veth-and-why-we-need-it"
TRANSCRIPT = LAB_DIR / "genesis-of-pod-ip-addresses" / "03-veth.console"
# The section's third block: both ends of the veth pair, whose interface indexes (`eth0@if4`,
# `4: veth-pod1@if2`) hold only after the set-up the page does not show (the lab VM's two cards,
# stand-ins here) and the two blocks before it, which the reader skips.
BLOCK = "ends"
# Typed first, before the steps a block needs and does not show (docs/assets/lab/lab-panel.mjs).
NOT_SHOWN = "# not in this block, but the lab needs it first:"
RESTORED = "(back to a fresh PC: the snapshot restored)"
# The requirement for a reader's click, on this machine: a prompt within ten seconds.
PROMPT_MS = 10_000
# A guard for a block's commands, not a speed check: the guest runs about 40 times slower.
OUTPUT_MS = 180_000


def block_commands() -> list[transcript.Command]:
    return [
        command for command in transcript.load(TRANSCRIPT).commands if BLOCK in command.sections
    ]


def typed_and_done(page: Any) -> None:
    page.wait_for_function(
        "document.querySelector('.lab-panel').dataset.typing === '0'", timeout=OUTPUT_MS
    )


def assert_outputs_match(log: str, commands: list[transcript.Command]) -> None:
    printed = outputs_in_order(log, [command.text for command in commands])
    renaming = compare.pinned(command.text for command in transcript.load(TRANSCRIPT).commands)
    for command, output in zip(commands, printed, strict=True):
        matched = compare.match_output(command.expected, output, renaming)
        assert matched is not None, f"{command.text}: expected {command.expected}, got {output}"
        renaming = matched


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_reader_clicks_gets_a_prompt_and_a_blocks_commands_print_the_pages_output(
    lab_site: Server, browser: Any, size: str, scheme: str
) -> None:
    viewport = MOBILE if size == "phone" else LAPTOP
    context = browser.new_context(viewport=viewport, color_scheme=scheme, locale="en-US")
    traffic = Traffic()
    context.route("**/*", traffic.route)
    page = traffic.watch(context.new_page())
    try:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.goto(lab_site.url + ARTICLE_PATH, wait_until="load")
        button = page.locator(f'h2[id="{SECTION}"] + p > button')
        clicked = time.monotonic()
        button.click()
        page.locator(".lab-run").first.wait_for(timeout=PROMPT_MS)
        print(f"{size} {scheme}: click to prompt {time.monotonic() - clicked:.1f} s")
        page.screenshot(path=ARTIFACTS / f"lab-open-{size}-{scheme}.png")
        # The panel's own buttons read at WCAG AA in either scheme.
        for name in ("Send", "Interrupt the running command (Ctrl-C)"):
            colors = page.get_by_role("button", name=name, exact=True).evaluate(COLORS_JS)
            assert contrast(*text_and_background(colors)) >= 4.5, (name, colors)
        commands = block_commands()
        block = page.locator("div.language-console", has_text=commands[0].text)
        run = block.locator("xpath=following-sibling::button[1]")
        run.click()
        typed_and_done(page)
        page.screenshot(path=ARTIFACTS / f"lab-output-{size}-{scheme}.png")
        log = page.locator(".lab-log").inner_text()
        assert NOT_SHOWN in log, "the steps the block does not show were typed unmarked"
        assert_outputs_match(log, commands)
        # Again: the transcript's steps ran, so the lab goes back to the snapshot first.
        run.click()
        typed_and_done(page)
        log = page.locator(".lab-log").inner_text()
        assert RESTORED in log
        assert_outputs_match(log.split(RESTORED, 1)[1], commands)
        assert not traffic.blocked, traffic.blocked
        assert not traffic.errors, traffic.errors
        downloaded = page.evaluate(
            "performance.getEntriesByType('resource')"
            ".filter(e => e.name.includes('/lab/'))"
            ".reduce((sum, e) => sum + e.encodedBodySize, 0)"
        )
        print(f"{size} {scheme}: downloaded for the lab {downloaded} bytes")
    finally:
        context.close()
