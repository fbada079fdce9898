"""What the browser tests share: where Chromium is, screen sizes, and the request recorder."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from testkit.paths import REPO
from testkit.site_build import SLUG
from testkit.static_server import HOST

if TYPE_CHECKING:
    from playwright.sync_api import Page

ARTICLE_PATH = f"posts/{SLUG}/"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "tests" / "artifacts" / "browser"
SPECIMENS = REPO / "tests" / "browser" / "specimens"
DESKTOP = {"width": 1366, "height": 900}  # wide enough for both sidebars (Material: 76.25em)
MOBILE = {"width": 390, "height": 844}
# A laptop's screen: the lab's terminal is checked at this size and the phone's (issue #25).
LAPTOP = {"width": 1280, "height": 800}
# How long one page action may wait before it counts as hung: a guard, not a speed check.
# make test runs the VM beside this suite on two CPUs, where a full-page screenshot once
# needed more than ten seconds.
TIMEOUT_MS = 30_000
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces behind the request check below: no host name resolves but 127.0.0.1.
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {HOST}",
]


@dataclass
class Traffic:
    """What pages of one browser context did besides rendering."""

    blocked: list[str] = field(default_factory=list)  # requests for another host, aborted
    errors: list[str] = field(default_factory=list)  # HTTP status >= 400, failed requests
    console: list[str] = field(default_factory=list)  # console errors, uncaught exceptions

    def watch(self, page: Page) -> Page:
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self.on_console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        page.on("response", self.on_response)
        page.on("requestfailed", self.on_failed)
        return page

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console.append(f"{message.text} ({message.location.get('url')})")

    def on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.errors.append(f"{response.status} {response.url}")

    def on_failed(self, request: Any) -> None:
        if request.url not in self.blocked:
            self.errors.append(f"failed ({request.failure}) {request.url}")

    def route(self, route: Any) -> None:
        url = route.request.url
        if urlsplit(url).hostname == HOST:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@dataclass
class Tab:
    page: Page
    traffic: Traffic


def search(page: Page, query: str) -> None:
    """Type into Material's search box as a reader does (it reacts to key events, not `fill`)."""
    page.locator(".md-search__input").click()
    page.keyboard.type(query, delay=20)
    page.locator(".md-search-result__item").first.wait_for()
