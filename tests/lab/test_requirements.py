"""`#lab: requires` skips a transcript, with its reason, where the machine lacks what it needs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from labrun import run, transcript

NEEDS_ROOT = "#lab: requires root\n$ true\n"


def test_a_rootless_sandbox_skips_a_transcript_that_requires_root(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path
) -> None:
    parsed = transcript.load(write_transcript("root.console", NEEDS_ROOT))
    reason = run.missing_requirement(parsed, fixture_lab, use_userns=True)
    assert reason is not None
    assert "requires root" in reason
    assert "sudo lab/replay" in reason


def test_a_root_sandbox_runs_it(
    write_transcript: Callable[[str, str], Path], fixture_lab: Path
) -> None:
    parsed = transcript.load(write_transcript("root.console", NEEDS_ROOT))
    assert run.missing_requirement(parsed, fixture_lab, use_userns=False) is None
