"""Suite-wide options (`--lab-update` / `--lab-fill` rewrite transcripts from real output) and
the shared fixtures of tests/support/testkit/, registered here once for every test folder.
"""

from __future__ import annotations

import pytest

pytest_plugins = ["testkit.sandbox_probe", "testkit.site_fixtures"]


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
