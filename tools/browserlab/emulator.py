"""The browser lab's guest, driven from Python: v86 in Debian's Chromium, through Playwright.

The harness page (page/harness.html) and everything it loads are served from 127.0.0.1 by a
server of this module: the emulator from node_modules/v86/build, Debian's SeaBIOS, and the
image folder (kernel, initramfs, 9p file list and blobs, snapshot). Requests for any other host
are aborted, and counted: a run that tried to reach one fails.

The serial console is the only terminal: `send` types on it, `wait_for` waits for a pattern in
what it printed since a given point.
"""

from __future__ import annotations

import http.server
import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Debian's Chromium, started as the browser tests start it (offline: no name resolves but HOST).
from testkit.browsing import CHROMIUM, CHROMIUM_ARGS
from testkit.static_server import HOST

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
V86_BUILD = REPO / "node_modules" / "v86" / "build"
SEABIOS = Path("/usr/share/seabios")
PAGE = HERE / "page"
# Guest memory: the lab's namespaces and Python fit; a snapshot's size grows with it.
MEMORY_MIB = 128


# What the guest's kernel prints when it stops for good: no point waiting for anything after.
PANIC = "Kernel panic - not syncing"


class EmulatorError(Exception):
    """The emulator did not start, or the guest did not answer in time."""


def missing_prerequisites() -> list[str]:
    """What this machine lacks to run the emulator, each with how to get it."""
    problems = []
    if not (V86_BUILD / "libv86.mjs").is_file():
        problems.append(f"no v86 in {V86_BUILD} (npm ci, at the repository's root)")
    if not (SEABIOS / "bios.bin").is_file():
        problems.append(f"no SeaBIOS in {SEABIOS} (apt-get install seabios)")
    if not CHROMIUM.is_file():
        problems.append(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401, PLC0415 - only to say it is missing
    except ImportError:
        problems.append("Playwright for Python is not installed (pip install -r requirements.txt)")
    return problems


@dataclass
class Served:
    """What the server sent: path -> bytes, for the download figures."""

    sent: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent[path] = self.sent.get(path, 0) + size

    def total(self, prefix: str = "") -> int:
        with self.lock:
            return sum(size for path, size in self.sent.items() if path.startswith(prefix))


class _Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    extensions_map = {  # noqa: RUF012 - the stdlib's own class attribute, extended
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def __init__(self, *args: Any, served: Served, **kwargs: Any) -> None:
        self.served = served
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        """Quiet: what was sent is counted in `served` instead."""

    def copyfile(self, source: Any, outputfile: Any) -> None:
        path = urlsplit(self.path).path
        size = os.fstat(source.fileno()).st_size
        super().copyfile(source, outputfile)
        self.served.add(path, size)


@contextmanager
def serve(image: Path, extra: dict[str, Path] | None = None) -> Iterator[tuple[str, Served]]:
    """Serve the harness, v86, SeaBIOS and `image` (plus `extra` name -> file) on 127.0.0.1."""
    with tempfile.TemporaryDirectory(prefix="browserlab-web-") as web_name:
        web = Path(web_name)
        for name in ("harness.html", "harness.mjs"):
            (web / name).symlink_to(PAGE / name)
        (web / "v86").symlink_to(V86_BUILD)
        (web / "bios").symlink_to(SEABIOS)
        (web / "image").symlink_to(image)
        for name, path in (extra or {}).items():
            (web / name).symlink_to(path)
        served = Served()
        handler = partial(_Handler, directory=str(web), served=served)
        server = http.server.ThreadingHTTPServer((HOST, 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://{HOST}:{server.server_address[1]}/", served
        finally:
            server.shutdown()
            server.server_close()


class Guest:
    """One emulated PC in one page: start it, type on its console, read what it prints."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.blocked: list[str] = []
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.context.route("**/*", self._route)

    def _route(self, route: Any) -> None:
        if urlsplit(route.request.url).hostname == HOST:
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def start(self, *, state: str | None = None, cmdline: str = "") -> float:
        """Load the harness and start the emulator (a snapshot's URL path, or a cold boot);
        return the seconds until v86 was ready (files loaded, the CPU running)."""
        self.page.goto(self.base_url + "harness.html")
        self.page.wait_for_function("typeof window.labStart === 'function'", timeout=30_000)
        started = time.monotonic()
        options = {"memoryMiB": MEMORY_MIB, "state": state, "cmdline": cmdline}
        try:
            self.page.evaluate("options => window.labStart(options)", options)
        except Exception as error:  # Playwright's error names the page's exception
            raise EmulatorError(f"v86 did not start: {error}") from None
        return time.monotonic() - started

    def output(self, since: int = 0) -> str:
        text: str = self.page.evaluate("since => window.serialText.slice(since)", since)
        return text

    def position(self) -> int:
        length: int = self.page.evaluate("window.serialText.length")
        return length

    def send(self, text: str) -> None:
        self.page.evaluate("text => window.labSend(text)", text)

    def put(self, guest_path: str, url_path: str) -> None:
        """Copy a file the server serves into the guest's root file system."""
        self.page.evaluate("([path, url]) => window.labPut(path, url)", [guest_path, url_path])

    def wait_for(self, pattern: str, since: int, timeout: float) -> re.Match[str]:
        """The first match of `pattern` in the console output after `since`."""
        compiled = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            text = self.output(since)
            found = compiled.search(text)
            if found is not None:
                return found
            if PANIC in text:
                raise EmulatorError(f"the guest's kernel panicked:\n{text[-1500:]}")
            if self.blocked or self.errors:
                raise EmulatorError(f"the page failed: {self.errors or self.blocked}")
            if time.monotonic() > deadline:
                tail = self.output(since)[-800:]
                raise EmulatorError(
                    f"no {pattern!r} on the console after {timeout:g} s; last output:\n{tail}"
                )
            time.sleep(0.1)

    def save_state(self, target: Path, timeout: float = 300) -> int:
        """The emulator's state as a file (a download of the page); return its size."""
        with self.page.expect_download(timeout=timeout * 1000) as download_info:
            self.page.evaluate("window.labSaveState()")
        download = download_info.value
        partial_path = target.with_name(target.name + ".partial")
        download.save_as(partial_path)
        partial_path.rename(target)
        return target.stat().st_size


@contextmanager
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, with downloads accepted (the snapshot is one)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional dependency

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = chromium.new_context(accept_downloads=True)
            yield context.new_page()
        finally:
            chromium.close()
