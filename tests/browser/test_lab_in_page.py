"""The lab in the page, before and around its emulator (issue #25): the "Try it in your
browser" button under the sections whose transcripts run in the browser lab, the declared
reason under the others, nothing of the lab fetched before a click, and a clear message with
the lab VM's instructions whenever the emulator cannot run.

These need no image: the production build the tests serve is made without one (no
BROWSER_LAB_IMAGE), which is itself one of the failures (the site published without the lab's
image). The reader's path with the image, to a prompt and a section's output, is
tests/browserlab/test_reader_runs_a_section_in_the_emulator.py (`make test-browser-lab`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from labrun import transcript
from testkit.browsing import ARTICLE_PATH, LAPTOP, MOBILE, Tab
from testkit.paths import LAB_DIR
from testkit.reading import COLORS_JS, contrast, focused_colors, text_and_background
from testkit.static_server import Server

BUTTON = "Try it in your browser"
# A section of the first post whose transcript runs in the browser, and one that does not.
RUNS = "2-what-is-a-network-namespace"
NOT_IN_PAGE = "posts/pods-across-nodes/"
NOT_IN = "4-podnet-across-nodes"
NOT_IN_TRANSCRIPT = LAB_DIR / "pods-across-nodes" / "02-podnet.console"
# Where the lab VM's instructions are (mkdocs.yml's extra.lab_vm_instructions).
LAB_VM = "posts/genesis-of-pod-ip-addresses/#1-setup-our-virtual-environment"
# What a click may fetch; nothing of it before one.
LAB_URLS = ("/assets/lab/", "/lab/browser/")


def heading(tab: Tab, section: str) -> Any:
    return tab.page.locator(f'h2[id="{section}"]')


def try_button(tab: Tab, section: str) -> Any:
    return tab.page.locator(f'h2[id="{section}"] + p > button')


def test_sections_whose_transcripts_run_in_the_browser_get_the_button(
    open_page: Callable[..., Tab], published_server: Server
) -> None:
    tab = open_page(published_server.url + ARTICLE_PATH)
    button = try_button(tab, RUNS)
    assert button.inner_text() == BUTTON
    assert button.get_attribute("type") == "button"
    # Section 0 shows no transcript: nothing to try there.
    assert try_button(tab, "0-the-answer-first").count() == 0
    assert not tab.traffic.console, tab.traffic.console


def test_sections_whose_transcripts_declare_not_in_browser_say_why_and_where_to_go(
    open_page: Callable[..., Tab], published_server: Server
) -> None:
    tab = open_page(published_server.url + NOT_IN_PAGE)
    assert try_button(tab, NOT_IN).count() == 0
    # The sections around it run in the browser: their buttons are there.
    for runs in ("1-a-router-between-the-nodes", "5-ip-in-ip-for-contrast"):
        assert try_button(tab, runs).inner_text() == BUTTON
    note = tab.page.locator(f'h2[id="{NOT_IN}"] + p.lab-note')
    reason = transcript.load(NOT_IN_TRANSCRIPT).excluded["browser"]
    assert reason in note.inner_text()
    link = note.get_by_role("link", name="Follow it in the lab VM")
    assert tab.page.evaluate("a => a.href", link.element_handle()) == published_server.url + LAB_VM


def test_the_lab_is_fetched_on_the_click_and_not_before(
    open_page: Callable[..., Tab], published_server: Server
) -> None:
    tab = open_page()
    requested: list[str] = []
    tab.page.on("request", lambda request: requested.append(request.url))
    tab.page.goto(published_server.url + ARTICLE_PATH, wait_until="networkidle")
    assert not [url for url in requested if any(part in url for part in LAB_URLS)], requested
    try_button(tab, RUNS).click()
    tab.page.locator(".lab-failure").wait_for()
    assert any("/assets/lab/lab-panel.mjs" in url for url in requested), requested
    assert not tab.traffic.blocked, tab.traffic.blocked


def _no_webassembly(tab: Tab) -> None:
    tab.page.add_init_script("delete window.WebAssembly")


def _network_error(tab: Tab) -> None:
    tab.page.route("**/lab/browser/**", lambda route: route.abort("internetdisconnected"))


def _stalled(tab: Tab) -> None:
    """A device too slow for the emulator, played by a download that never ends and a
    deadline of a second (the panel's knob for tests)."""
    tab.page.route("**/lab/browser/**", lambda route: None)
    tab.page.add_init_script("window.browserLabPromptSeconds = 1")


FAILURES = {
    "published-without-the-image": (None, "published without the lab's image"),
    "no-webassembly": (_no_webassembly, "no WebAssembly"),
    "network-error": (_network_error, "network error"),
    "too-slow": (_stalled, "no prompt within 1 seconds"),
}


@pytest.mark.parametrize("failure", FAILURES)
def test_when_the_emulator_cannot_run_the_reader_gets_why_and_the_lab_vm(
    open_page: Callable[..., Tab], published_server: Server, failure: str
) -> None:
    arrange, says = FAILURES[failure]
    tab = open_page()
    if arrange is not None:
        arrange(tab)
    tab.page.goto(published_server.url + ARTICLE_PATH, wait_until="load")
    try_button(tab, RUNS).click()
    message = tab.page.get_by_role("alert")
    message.wait_for()
    assert says in message.inner_text()
    link = message.get_by_role("link", name="Follow this section in the lab VM")
    assert tab.page.evaluate("a => a.href", link.element_handle()) == published_server.url + LAB_VM
    # In place of the terminal: no input waiting for a shell that will never answer.
    assert tab.page.locator(".lab-log, .lab-input").count() == 0


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_screenshots_of_the_button_and_of_a_failure(
    open_page: Callable[..., Tab],
    published_server: Server,
    artifacts: Path,
    size: str,
    scheme: str,
) -> None:
    """For a human to look at; the assertions hold what a phone needs: the button fits the
    column and a keyboard reaches it."""
    viewport = MOBILE if size == "phone" else LAPTOP
    tab = open_page(published_server.url + ARTICLE_PATH, viewport=viewport, color_scheme=scheme)
    button = try_button(tab, RUNS)
    heading(tab, RUNS).scroll_into_view_if_needed()
    tab.page.evaluate(
        "h => window.scrollTo(0, h.offsetTop - 60)", heading(tab, RUNS).element_handle()
    )
    box = button.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    tab.page.screenshot(path=artifacts / f"lab-button-{size}-{scheme}.png")
    button.focus()
    tab.page.keyboard.press("Enter")
    tab.page.get_by_role("alert").wait_for()
    tab.page.screenshot(path=artifacts / f"lab-failure-{size}-{scheme}.png")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_button_and_the_note_read_at_wcag_aa_in_both_schemes(
    open_page: Callable[..., Tab], published_server: Server, scheme: str
) -> None:
    """Text at 4.5:1 against what is behind it: Material's button colour (its primary indigo)
    is under 2.5:1 on the dark scheme's background."""
    ratios = {}
    tab = open_page(published_server.url + ARTICLE_PATH, color_scheme=scheme)
    button = try_button(tab, RUNS)
    ratios["button"] = contrast(*text_and_background(button.evaluate(COLORS_JS)))
    # Focused or hovered, Material's button is white on its accent indigo, 4.3:1: ours, on the
    # primary indigo.
    ratios["button focused"] = contrast(*text_and_background(focused_colors(button)))
    tab = open_page(published_server.url + NOT_IN_PAGE, color_scheme=scheme)
    note = tab.page.locator(f'h2[id="{NOT_IN}"] + p.lab-note')
    ratios["note"] = contrast(*text_and_background(note.evaluate(COLORS_JS)))
    ratios["note link"] = contrast(*text_and_background(note.locator("a").evaluate(COLORS_JS)))
    assert {name: ratio for name, ratio in ratios.items() if ratio < 4.5} == {}
