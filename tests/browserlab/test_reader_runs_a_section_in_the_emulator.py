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
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from labrun import compare, transcript
from testkit.browsing import (
    ARTICLE_PATH,
    ARTIFACTS,
    LAPTOP,
    MOBILE,
    Traffic,
)
from testkit.lab_log import RESTORE, RESTORED, Log, Typed, published_steps, typed_sequence
from testkit.paths import LAB_DIR
from testkit.reading import COLORS_JS, contrast, focused_colors, text_and_background
from testkit.static_server import Server

pytestmark = pytest.mark.browserlab

SECTION = "3-what-is-a-veth-and-why-we-need-it"
TRANSCRIPT = LAB_DIR / "genesis-of-pod-ip-addresses" / "03-veth.console"
# The section's third block: both ends of the veth pair, whose interface indexes (`eth0@if4`,
# `4: veth-pod1@if2`) hold only after the set-up the page does not show (the lab VM's two cards,
# stand-ins here) and the two blocks before it, which the reader skips.
BLOCK = "ends"
# The requirement for a reader's click, on this machine: a prompt within ten seconds.
PROMPT_MS = 10_000
# A guard for a block's commands, not a speed check: the guest runs about 40 times slower.
OUTPUT_MS = 180_000


def shown_in(entry: dict[str, Any]) -> set[str]:
    """The sections a lab-steps.json block shows."""
    steps = transcript.load(LAB_DIR / entry["transcript"]).steps
    return {name for index in entry["shows"] for name in steps[index].sections}  # type: ignore[union-attr]


def article_steps(server: Server) -> dict[str, Any]:
    steps = published_steps(server.url, ARTICLE_PATH)
    assert steps is not None, f"{ARTICLE_PATH}: the site serves no lab-steps.json"
    return steps


def the_block(page: Any, steps: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """BLOCK's entry in lab-steps.json, and its "Type these commands" button."""
    name = TRANSCRIPT.relative_to(LAB_DIR).as_posix()
    block = next(
        entry
        for entry in steps["blocks"]
        if entry and entry["transcript"] == name and BLOCK in shown_in(entry)
    )
    first = transcript.load(TRANSCRIPT).steps[block["shows"][0]]
    run = page.locator("div.language-console", has_text=first.text).locator(
        "xpath=following-sibling::button[1]"
    )
    return block, run


def typed_and_done(page: Any) -> None:
    """Wait until the lab has typed every block clicked; on a timeout, say where it stood."""
    try:
        page.wait_for_function(
            "document.querySelector('.lab-panel').dataset.typing === '0'", timeout=OUTPUT_MS
        )
    except PlaywrightTimeout:
        status = page.locator(".lab-panel [role=status]").inner_text()
        log = page.locator(".lab-log").inner_text()
        (ARTIFACTS / "lab-typing-timeout.log").write_text(f"{status}\n----\n{log}")
        raise AssertionError(
            f"still typing after {OUTPUT_MS} ms; status {status!r}; the terminal ends:\n"
            + log[-1500:]
        ) from None


def assert_typed_and_printed(log: str, lines: list[Typed]) -> None:
    """Each line the button typed, in order, printed what the transcript says."""
    commands = transcript.load(TRANSCRIPT).steps
    fresh = compare.pinned(step.text for step in commands if isinstance(step, transcript.Command))
    renaming = fresh
    reader = Log(log)
    for line in lines:
        output = reader.next(line)
        if line is RESTORE:
            renaming = fresh  # a fresh PC: new random values
        elif line.kind == "run":
            assert line.index is not None
            command = commands[line.index]
            assert isinstance(command, transcript.Command)
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
        # The lab's buttons read at WCAG AA in either scheme, at rest (the pointer elsewhere)
        # and focused (as hovered).
        page.mouse.move(0, 0)
        for name in ("Send", "Interrupt the running command (Ctrl-C)", "Type these commands"):
            lab_button = page.get_by_role("button", name=name, exact=True).first
            lab_button.evaluate("b => Promise.all(b.getAnimations().map(a => a.finished))")
            for state, colors in (
                ("at rest", lab_button.evaluate(COLORS_JS)),
                ("focused", focused_colors(lab_button)),
            ):
                assert contrast(*text_and_background(colors)) >= 4.5, (name, state, colors)
        steps = article_steps(lab_site)
        block, run = the_block(page, steps)
        run.click()
        typed_and_done(page)
        page.screenshot(path=ARTIFACTS / f"lab-output-{size}-{scheme}.png")
        lines = list(typed_sequence(steps, [block]))
        assert any(line.kind == "note" for line in lines), "the block needs no step it hides"
        assert_typed_and_printed(page.locator(".lab-log").inner_text(), lines)
        # Again: the transcript's steps ran, so the lab goes back to the snapshot first.
        run.click()
        typed_and_done(page)
        log = page.locator(".lab-log").inner_text()
        again = list(typed_sequence(steps, [block, block]))
        assert again[len(lines)] is RESTORE
        assert_typed_and_printed(log, again)
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


def test_ctrl_c_stops_the_typing_and_the_next_block_starts_from_a_fresh_pc(
    lab_site: Server, browser: Any
) -> None:
    """A reader who stops the lab midway: while it types, the block's button and the input line
    are off (a line typed then would land inside the block's commands); Ctrl-C stops it, the
    status says so, and the block typed next starts from the snapshot and prints the page's
    output."""
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    page = context.new_page()
    try:
        page.goto(lab_site.url + ARTICLE_PATH, wait_until="load")
        page.locator(f'h2[id="{SECTION}"] + p > button').click()
        page.locator(".lab-run").first.wait_for(timeout=PROMPT_MS)
        steps = article_steps(lab_site)
        block, run = the_block(page, steps)
        run.click()
        assert run.is_disabled()
        assert page.locator(".lab-input input").is_disabled()
        page.get_by_role("button", name="Interrupt the running command (Ctrl-C)").click()
        typed_and_done(page)
        assert "Stopped (Ctrl-C)" in page.locator(".lab-panel [role=status]").inner_text()
        assert page.locator(".lab-input input").is_enabled()
        run.click()
        typed_and_done(page)
        log = page.locator(".lab-log").inner_text()
        assert RESTORED in log, "the block after a Ctrl-C did not start from a fresh PC"
        assert_typed_and_printed(log.rsplit(RESTORED, 1)[1], list(typed_sequence(steps, [block])))
    finally:
        context.close()
