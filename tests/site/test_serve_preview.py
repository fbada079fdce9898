"""`mkdocs serve`, the author's preview, shows drafts with a visible badge."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from testkit.site_build import DRAFT_SLUG, SLUG, add_draft, copy_sources

STARTUP_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1 only)
        return response.read().decode("utf-8")


@pytest.fixture(scope="module")
def preview_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mkdocs serve` on a copy of the sources with a draft post added."""
    project = add_draft(copy_sources(tmp_path_factory.mktemp("serve")))
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=os.environ | {"NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            try:
                fetch(url)
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"mkdocs serve did not answer on {url} (exit {server.poll()})")
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_renders_a_draft_with_a_badge(preview_url):
    page = BeautifulSoup(fetch(f"{preview_url}posts/{DRAFT_SLUG}/"), "html.parser")
    assert page.h1.get_text(strip=True) == "A draft post"
    assert "Not published" in page.select_one(".post-draft-badge").get_text()


def test_serve_lists_the_draft_on_the_home_page_marked_as_draft(preview_url):
    home = BeautifulSoup(fetch(preview_url), "html.parser")
    badges = {
        post.select_one("h2 a")["href"]: post.select_one(".md-draft")
        for post in home.select("article.md-post--excerpt")
    }
    assert badges[f"posts/{DRAFT_SLUG}/"].get_text(strip=True) == "Draft"
    assert badges[f"posts/{SLUG}/"] is None
