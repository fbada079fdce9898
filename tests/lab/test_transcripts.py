"""Every transcript under lab/ replays in a fresh sandbox and prints what the article shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from labrun import audit, update, verdict
from labrun.cli import LAB_DIR
from testkit.paths import DOCS_DIR
from testkit.policy import skip_kernel_lacks, skip_or_fail


@pytest.mark.parametrize(
    "path", audit.transcripts(LAB_DIR), ids=lambda path: str(path.relative_to(LAB_DIR))
)
def test_transcript_prints_what_the_article_shows(
    path: Path, lab_mode: update.Mode, sandbox_works: None
) -> None:
    judged = verdict.judge(path, LAB_DIR, DOCS_DIR, lab_mode)
    if judged.kind is verdict.Kind.SKIPPED:
        if judged.kernel_lacks:
            skip_kernel_lacks(judged.report)
        skip_or_fail(judged.report)
    if judged.kind in (verdict.Kind.DIFFERS, verdict.Kind.BROKEN) or judged.still_differs:
        pytest.fail(judged.report or f"{path}: --lab-fill left output that differs", pytrace=False)
