"""Where the repository's parts are, for tests that read or copy them."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
LAB_DIR = REPO / "lab"
DOCS_DIR = REPO / "docs"
