"""Fixtures: one headless Chromium for the whole session, and fresh contexts of it.

Every folder that drives Chromium takes it from here (tests/browser/, tests/browserlab/):
Playwright's sync API runs one instance at a time in a process, so a second one started while a
session-wide browser lives fails. Chromium is Debian's (/usr/bin/chromium), driven by
Playwright for Python without any browser download. Every page runs in a fresh context whose
requests are checked one by one: anything that would leave 127.0.0.1 is aborted and recorded,
so a test can assert that none happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from testkit.browsing import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, DESKTOP, Tab, Traffic
from testkit.policy import skip_or_fail

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        skip_or_fail(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional here
    except ImportError:
        skip_or_fail("Playwright for Python is not installed (pip install -r requirements.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Tab]]:
    """``open_page(url, **context_options)``: a fresh context (desktop, light) and its page."""
    contexts: list[BrowserContext] = []

    def open_(url: str | None = None, **options: Any) -> Tab:
        options = {"viewport": DESKTOP, "color_scheme": "light", "locale": "en-US"} | options
        context = browser.new_context(**options)
        contexts.append(context)
        traffic = Traffic()
        context.route("**/*", traffic.route)
        page = traffic.watch(context.new_page())
        if url is not None:
            page.goto(url, wait_until="load")
        return Tab(page, traffic)

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots for a human to look at (git-ignored; CI can keep them as build artefacts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
