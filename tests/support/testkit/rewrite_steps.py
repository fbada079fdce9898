"""Build a site in this process and record what each HTML rewrite did to each page.

hooks/html_rewrites.py runs one ordered list of rewrites (``REWRITES``). Here the real
``mkdocs build`` runs with every entry of that list wrapped: the wrapper keeps the HTML a
rewrite received and returned, per page, so a test can ask whether each rewrite acted on a
specimen, and tools/bench/bench_rewrites.py can print what each one saves. Nothing else of
the build changes: the wrapper returns what the rewrite returned.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config

PIPELINE_HOOK = "hooks/html_rewrites.py"
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


def record_build(project: Path, site: Path, *, skip: str | None = None) -> dict[str, list[Step]]:
    """Build ``project`` into ``site``; for each page URL ("404.html" for that page), its steps
    in order. ``skip`` names a rewrite to leave out (it passes its input on unchanged), to
    measure what the site is without it."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    pipeline: Any = config["hooks"][PIPELINE_HOOK]
    steps: dict[str, list[Step]] = {}

    def recorded(rewrite: Any) -> Any:
        def apply(html: str, at: Any) -> str:
            result = html if rewrite.name == skip else rewrite.apply(html, at)
            steps.setdefault(at.url, []).append(Step(rewrite.name, html, result))
            return result

        # Left out, a rewrite changes no file either (a stylesheet stays published and linked).
        return replace(rewrite, apply=apply, files=None if rewrite.name == skip else rewrite.files)

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
