"""Build the blog's posts with Hugo and the minimal layout in tests/hugo/site/.

Shared by tests/hugo/test_hugo_compat.py and tools/bench/bench_site.py, so the benchmark times
exactly the Hugo site the compatibility test checks. Hugo's layout: the posts go to
content/posts/, the top-level img/ to static/img/ (served at /img/, as the MkDocs hook does).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from testkit.paths import REPO

LAYOUT = REPO / "tests" / "hugo" / "site"
POSTS_DIR = REPO / "docs" / "posts"
IMG_DIR = REPO / "img"
HUGO_TIMEOUT_S = 120


class HugoBuildError(RuntimeError):
    """Hugo exited non-zero; the message carries its command line and output."""


def hugo_binary() -> str | None:
    """Return the path of the `hugo` executable, or None when it is not installed."""
    return shutil.which("hugo")


def posts() -> list[Path]:
    return sorted(POSTS_DIR.glob("*.md"))


def prepare_site(workdir: Path, post_files: Iterable[Path] | None = None) -> Path:
    """Assemble a Hugo site in ``workdir``: the layout, the posts and the images."""
    site = workdir / "hugo-site"
    shutil.copytree(LAYOUT, site)
    content = site / "content" / "posts"
    content.mkdir(parents=True)
    for post in posts() if post_files is None else post_files:
        shutil.copy2(post, content / post.name)
    if IMG_DIR.is_dir():
        shutil.copytree(IMG_DIR, site / "static" / "img")
    return site


def hugo_command(site: Path, destination: Path, *, drafts: bool) -> list[str]:
    hugo = hugo_binary()
    if hugo is None:
        raise HugoBuildError("hugo is not installed (Debian: apt-get install hugo)")
    command = [
        hugo,
        "--source",
        str(site),
        "--destination",
        str(destination),
        "--cacheDir",
        str(site / ".hugo-cache"),
        "--noBuildLock",
        "--panicOnWarning",
        "--quiet",
    ]
    if drafts:
        command.append("--buildDrafts")
    return command


def build(site: Path, destination: Path, *, drafts: bool) -> Path:
    """Run Hugo on ``site`` into ``destination`` and return ``destination``."""
    command = hugo_command(site, destination, drafts=drafts)
    result = subprocess.run(  # noqa: S603 - argv list built above, no shell
        command,
        capture_output=True,
        text=True,
        check=False,
        timeout=HUGO_TIMEOUT_S,
    )
    if result.returncode != 0:
        raise HugoBuildError(
            f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return destination
