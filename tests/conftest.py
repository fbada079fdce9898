"""Suite-wide options: `--lab-update` / `--lab-fill` rewrite transcripts from real output."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lab", "lab transcripts")
    group.addoption(
        "--lab-update",
        action="store_true",
        help="rewrite the output of transcript commands that changed (keeps '...', markers "
        "and published volatile values)",
    )
    group.addoption(
        "--lab-fill",
        action="store_true",
        help="write the output of transcript commands that have none yet",
    )
