"""Build the real site (or a mutated copy of it) with the real `mkdocs build --strict`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from testkit.paths import REPO

SLUG = "genesis-of-pod-ip-addresses"
ARTICLE = Path("docs") / "posts" / f"{SLUG}.md"
# What `mkdocs build` reads: the config, the Markdown, the hooks and templates, and the files
# pages include or link to (lab/ transcripts, img/, the Vagrantfile).
SITE_SOURCES = (
    "mkdocs.yml",
    # v86's locked version, named by the browser lab's licence page (hooks/browser_lab_licences.py).
    "package-lock.json",
    "docs",
    "hooks",
    "snippets_grammar",
    "overrides",
    "img",
    "lab",
    "Vagrantfile",
)
BUILD_TIMEOUT_S = 120
# A draft post for the tests of draft handling (the article itself is published).
DRAFT_SPECIMEN = REPO / "tests" / "site" / "specimens" / "a-draft-post.md"
DRAFT_SLUG = DRAFT_SPECIMEN.stem
# A published post with a cover and an inline image of its own, for the tests that break a post
# the way an author could: editing the article breaks none of them.
ILLUSTRATED_SPECIMEN = REPO / "tests" / "site" / "specimens" / "an-illustrated-post.md"
# Its images, published at img/specimens/ (the post links them as ../img/specimens/x).
SPECIMEN_IMAGES = REPO / "tests" / "site" / "specimens" / "img"
SPECIMEN_IMG_DIR = Path("img") / "specimens"


@dataclass
class Build:
    returncode: int
    output: str
    site: Path

    def errors(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith(("ERROR", "WARNING"))]


def copy_sources(dest: Path) -> Path:
    """A copy of what the build reads, for tests that break it on purpose."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in SITE_SOURCES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    return dest


def add_draft(project: Path) -> Path:
    """Put the draft specimen among a copy's posts; returns the copy."""
    shutil.copy2(DRAFT_SPECIMEN, project / "docs" / "posts" / DRAFT_SPECIMEN.name)
    return project


def add_illustrated(project: Path) -> Path:
    """Put the illustrated specimen among a copy's posts and its images in the copy's img/."""
    shutil.copy2(ILLUSTRATED_SPECIMEN, project / "docs" / "posts" / ILLUSTRATED_SPECIMEN.name)
    shutil.copytree(SPECIMEN_IMAGES, project / SPECIMEN_IMG_DIR)
    return project


def build(
    project: Path,
    site: Path,
    *,
    drafts: bool = False,
    site_url: str | None = None,
    env: dict[str, str] | None = None,
) -> Build:
    """``mkdocs build`` of ``project``; ``site_url`` is the SITE_URL a publisher would set;
    ``env`` adds variables (the build cache's MKDOCS_BUILD_CACHE, SOURCE_DATE_EPOCH)."""
    env = os.environ | (env or {})
    env |= {"NO_MKDOCS_2_WARNING": "1", "BLOG_DRAFTS": "true" if drafts else "false"}
    if site_url is not None:
        env["SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        check=False,
    )
    return Build(result.returncode, result.stdout + result.stderr, site)


def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
