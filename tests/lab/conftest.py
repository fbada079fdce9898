"""Fixtures for the lab engine's tests: the update mode, fixture transcripts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from labrun import update


@pytest.fixture
def lab_mode(request: pytest.FixtureRequest) -> update.Mode:
    if request.config.getoption("--lab-update"):
        return update.Mode.UPDATE
    if request.config.getoption("--lab-fill"):
        return update.Mode.FILL
    return update.Mode.CHECK


@pytest.fixture
def fixture_lab(tmp_path: Path) -> Path:
    """An empty lab/ (with a docs/ next to it) for fixture transcripts."""
    (tmp_path / "docs").mkdir()
    lab = tmp_path / "lab"
    (lab / "post").mkdir(parents=True)
    return lab


@pytest.fixture
def write_transcript(fixture_lab: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = fixture_lab / "post" / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
