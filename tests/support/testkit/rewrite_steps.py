"""Build a site in this process and record what each HTML rewrite did to each page.

hooks/html_rewrites.py runs one ordered list of rewrites (``REWRITES``). Here the real
``mkdocs build`` runs with every entry of that list wrapped: the wrapper keeps the HTML a
rewrite received and returned, per page, so a test can ask whether each rewrite acted on a
specimen, and tools/bench/bench_rewrites.py can print what each one saves. Nothing else of
the build changes: the wrapper returns what the rewrite returned.
"""

from __future__ import annotations

import gzip
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config

PIPELINE_HOOK = "hooks/html_rewrites.py"
SITE = "(site)"  # the key of the site rewrites' steps: what they did to the built site
GZIP_LEVEL = 6


@dataclass(frozen=True)
class Step:
    """One rewrite applied to one page (or to the page's content)."""

    rewrite: str
    before: str
    after: str

    @property
    def raw_saved(self) -> int:
        return len(self.before.encode()) - len(self.after.encode())

    @property
    def gzip_saved(self) -> int:
        return gzipped(self.before) - gzipped(self.after)


def gzipped(text: str) -> int:
    return len(gzip.compress(text.encode(), compresslevel=GZIP_LEVEL, mtime=0))


def site_listing(folder: Path) -> str:
    """The built site as text, one line a file: its path and a hash of its content."""
    return "".join(
        f"{path.relative_to(folder)} {hashlib.sha256(path.read_bytes()).hexdigest()[:16]}\n"
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )


def record_build(project: Path, site: Path, *, skip: str | None = None) -> dict[str, list[Step]]:
    """Build ``project`` into ``site``; for each page URL ("404.html" for that page), its steps
    in order, and under ``SITE`` the site rewrites' steps (before and after: site_listing).
    ``skip`` names a rewrite to leave out (it passes its input on unchanged, or changes no
    file), to measure what the site is without it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    pipeline: Any = config["hooks"][PIPELINE_HOOK]
    steps: dict[str, list[Step]] = {}

    def recorded(rewrite: Any) -> Any:
        left_out = rewrite.name == skip

        def apply(html: str, at: Any) -> str:
            result = html if left_out else rewrite.apply(html, at)
            steps.setdefault(at.url, []).append(Step(rewrite.name, html, result))
            return result

        def built(folder: Path, config: Any) -> None:
            before = site_listing(folder)
            if not left_out:
                rewrite.built(folder, config)
            steps.setdefault(SITE, []).append(Step(rewrite.name, before, site_listing(folder)))

        # Left out, a rewrite changes no file either (a stylesheet stays published and linked).
        return replace(
            rewrite,
            apply=None if rewrite.apply is None else apply,
            files=None if left_out else rewrite.files,
            built=None if rewrite.built is None else built,
        )

    # MkDocs loads a hook once per process and path: the list is put back after the build.
    original = pipeline.REWRITES
    pipeline.REWRITES = tuple(recorded(rewrite) for rewrite in original)
    # As `mkdocs build` does (mkdocs/__main__.py): plugins set up their state at startup.
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
        pipeline.REWRITES = original
    return steps
