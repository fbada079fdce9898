"""A reader's path through the lab in the page (issue #25, "done when"): on the site built with
the browser-lab image and served from 127.0.0.1, in Chromium at phone and desktop size, a click
on "Try it in your browser" gives a prompt within ten seconds (the snapshot restored), and a
section's blocks, typed by their buttons, print what the transcript says, through the lab's
own comparison (lab/labrun/compare.py: volatile values masked as in every environment).

Marked `browserlab` (`make test-browser-lab`, the separate CI job). Skipped with the reason
where the image, v86 or Chromium is missing; failed instead when CI=true. The image is
BROWSER_LAB_IMAGE when set (a built image folder), else the one the current inputs make.
"""

from __future__ import annotations

import re
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
from testkit.paths import LAB_DIR
from testkit.reading import COLORS_JS, contrast, text_and_background
from testkit.static_server import Server

pytestmark = pytest.mark.browserlab

SECTION = "2-what-is-a-network-namespace"
TRANSCRIPT = LAB_DIR / "genesis-of-pod-ip-addresses" / "02-netns.console"
# Blocks of the section whose output depends neither on the lab VM's setup, which the emulated
# PC does not have (its own interfaces, no eth0 or eth1), nor on writing to a pipe: the page's
# "empty" block lists a folder with `ls`, which a terminal prints in columns (the reader's VM
# terminal too), a transcript's run one name a line.
BLOCKS = ("create", "loopback-trap", "loopback-up")
# The requirement for a reader's click, on this machine: a prompt within ten seconds.
PROMPT_MS = 10_000
# A guard for a block's commands, not a speed check: the guest runs about 40 times slower.
OUTPUT_MS = 120_000
PROMPT_LINE = re.compile(r"^root@netns-lab:[^\n]*# ", re.M)


def expected_commands() -> list[transcript.Command]:
    parsed = transcript.load(TRANSCRIPT)
    return [command for command in parsed.commands if set(command.sections) & set(BLOCKS)]


def outputs(log: str) -> dict[str, list[str]]:
    """The terminal's log as command -> what it printed (first run of each command)."""
    found: dict[str, list[str]] = {}
    pieces = PROMPT_LINE.split(log)
    for piece in pieces[1:]:
        command, _, output = piece.partition("\n")
        found.setdefault(command.rstrip(), compare.normalize(output))
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_a_reader_clicks_gets_a_prompt_and_a_sections_commands_print_the_transcripts_output(
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
        commands = expected_commands()
        for name in BLOCKS:
            first = next(command for command in commands if name in command.sections)
            block = page.locator("div.language-console", has_text=first.text)
            block.locator("xpath=following-sibling::button[1]").click()
        last = commands[-1].text
        page.wait_for_function(
            "last => document.querySelector('.lab-log').textContent.includes('# ' + last)"
            " && /# $/.test(document.querySelector('.lab-log').textContent)",
            arg=last,
            timeout=OUTPUT_MS,
        )
        page.screenshot(path=ARTIFACTS / f"lab-output-{size}-{scheme}.png")
        printed = outputs(page.locator(".lab-log").inner_text())
        renaming = compare.pinned(command.text for command in commands)
        for command in commands:
            assert command.text in printed, f"{command.text!r} never ran:\n{printed}"
            matched = compare.match_output(command.expected, printed[command.text], renaming)
            assert matched is not None, (
                f"{command.text}: expected {command.expected}, got {printed[command.text]}"
            )
            renaming = matched
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
