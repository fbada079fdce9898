"""Helpers shared by the lab engine's tests (a uniquely named module, unlike conftest)."""

from __future__ import annotations

import os

import pytest

from labrun.cli import LAB_DIR

REPO = LAB_DIR.parent
DOCS_DIR = REPO / "docs"


def skip_or_fail(reason: str) -> None:
    """Skip where the machine cannot run the lab; in CI that is a failure, never a green skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)
