"""Every transcript under lab/ replays in a fresh sandbox and prints what the article shows."""

from __future__ import annotations

from pathlib import Path

import pytest

from labrun import audit, report, run, transcript, update
from labrun.cli import LAB_DIR
from testkit.paths import DOCS_DIR
from testkit.policy import skip_kernel_lacks, skip_or_fail


@pytest.mark.parametrize(
    "path", audit.transcripts(LAB_DIR), ids=lambda path: str(path.relative_to(LAB_DIR))
)
def test_transcript_prints_what_the_article_shows(
    path: Path, lab_mode: update.Mode, sandbox_works: None
) -> None:
    try:
        outcome = run.replay(transcript.load(path), LAB_DIR)
    except transcript.TranscriptError as error:
        pytest.fail(str(error), pytrace=False)
    if outcome.skipped and outcome.kernel_lacks:
        skip_kernel_lacks(outcome.skipped)
    if outcome.skipped:
        skip_or_fail(outcome.skipped)
    new_text = update.updated_text(outcome, lab_mode)
    if new_text is not None:
        path.write_text(new_text, encoding="utf-8")
        return
    if not outcome.ok:
        pytest.fail(report.describe(outcome, DOCS_DIR, LAB_DIR), pytrace=False)
