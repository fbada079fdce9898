"""`mkdocs serve`, the author's preview: drafts with a visible badge, and a rebuild on every
edit under docs/, lab/, img/, hooks/ and overrides/."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from testkit.site_build import ARTICLE, DRAFT_SLUG, SLUG, add_draft, copy_sources

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
    yield from serve(project)


def serve(project: Path) -> Iterator[str]:
    """Run `mkdocs serve` on ``project`` until the generator is closed; yields its URL."""
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


# ---------------------------------------------------------------------------- rebuilds

# The script MkDocs injects into each served page: livereload(EPOCH, REQUEST_ID).
LIVERELOAD = re.compile(r"livereload\((\d+), (\d+)\)")
REBUILD_TIMEOUT_S = 90


@pytest.fixture(scope="module")
def editable_preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """`mkdocs serve` on a copy of the sources that the tests below edit."""
    project = copy_sources(tmp_path_factory.mktemp("serve-edits"))
    for url in serve(project):
        yield project, url


def rebuilt_after(url: str, edit) -> None:
    """Make ``edit()`` and wait, as a served page's livereload script does, for the rebuild."""
    epoch, request = LIVERELOAD.search(fetch(url)).groups()
    edit()
    # The server answers the long poll with its newest epoch once a rebuild after the edit
    # is visible, or with the same epoch after its own one-minute timeout.
    with urllib.request.urlopen(  # noqa: S310 (127.0.0.1 only)
        f"{url}livereload/{epoch}/{request}", timeout=REBUILD_TIMEOUT_S
    ) as response:
        answered = int(response.read())
    assert answered > int(epoch), "mkdocs serve did not rebuild after the edit"


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as out:
        out.write(text)


def test_editing_the_post_shows_on_the_page(editable_preview):
    project, url = editable_preview
    rebuilt_after(url, lambda: append(project / ARTICLE, "\n\nedited-post-token\n"))
    assert "edited-post-token" in fetch(f"{url}posts/{SLUG}/")


def test_editing_a_transcript_the_post_includes_shows_on_the_page(editable_preview):
    project, url = editable_preview
    included = re.search(r'--8<--\s+"([^":]+\.console):', (project / ARTICLE).read_text())
    transcript = project / "lab" / included.group(1)
    text = transcript.read_text()
    # Every shown section is the same text as the file: a command of the first one.
    start = text.index("\n$ ", text.index("[start:")) + 1
    end = text.index("\n", start)
    edited = text[:end] + " # edited-lab-token" + text[end:]
    rebuilt_after(url, lambda: transcript.write_text(edited))
    assert "edited-lab-token" in fetch(f"{url}posts/{SLUG}/")


def test_a_new_image_under_img_is_published(editable_preview):
    project, url = editable_preview
    image = next(path for path in sorted((project / "img").rglob("*")) if path.is_file())
    copy = image.with_name(f"added-while-serving{image.suffix}")
    rebuilt_after(url, lambda: shutil.copy2(image, copy))
    path = copy.relative_to(project).as_posix()
    with urllib.request.urlopen(f"{url}{path}", timeout=5) as response:  # noqa: S310
        assert response.read() == image.read_bytes()


def test_editing_a_template_override_shows_on_the_page(editable_preview):
    project, url = editable_preview
    partial = project / "overrides" / "partials" / "post.html"
    rebuilt_after(url, lambda: append(partial, "\n<!-- edited-override-token -->\n"))
    assert "edited-override-token" in fetch(url)


def test_editing_a_hook_rebuilds_the_site(editable_preview):
    project, url = editable_preview
    rebuilt_after(url, lambda: append(project / "hooks" / "lazy_images.py", "\n# edited\n"))
