"""One transcript from its file to a verdict: load it, replay it, rewrite it if asked, report.

`lab/replay` (labrun.cli) and the test suite (tests/lab/test_transcripts.py) both judge a
transcript this way and differ only in what they do with the verdict: an exit status and a
line, or a test that passes, skips or fails.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from labrun import report, run, transcript, update


class Kind(Enum):
    OK = "ok"  # every command printed what the transcript says
    UPDATED = "updated"  # the file was rewritten with the real output (--update, --fill)
    DIFFERS = "differs"  # some output differs: `report` shows the diff and the page lines
    SKIPPED = "skipped"  # a requirement is missing here (`#lab: requires`, no sandbox)
    BROKEN = "broken"  # cannot run: malformed transcript, unreadable file, hanging command


@dataclass(frozen=True)
class Verdict:
    path: Path
    kind: Kind
    report: str  # what is wrong, readable in a terminal; empty when nothing is
    commands: int
    seconds: float
    still_differs: bool = False  # --fill rewrote the file, but commands it may not fill differ
    replayed: bool = True  # False: the file could not be read or parsed
    kernel_lacks: bool = False  # SKIPPED for a kernel feature (`#lab: requires kernel:TYPE`)

    def line(self) -> str:
        """How lab/replay prints it: a word, the path, the work done, then the report."""
        timing = f"({self.commands} commands, {self.seconds:.2f} s)"
        word = {Kind.OK: "ok   ", Kind.UPDATED: "updated"}.get(self.kind, "FAIL ")
        if not self.replayed:
            return f"ERROR {self.report}"
        return f"{word} {self.path} {timing}" + (f"\n{self.report}" if self.report else "")


def judge(
    path: Path,
    lab_dir: Path,
    docs_dir: Path | None,
    mode: update.Mode = update.Mode.CHECK,
    timeout: float = run.DEFAULT_TIMEOUT,
) -> Verdict:
    """Replay the transcript at `path` in a fresh sandbox and say how it went."""
    started = time.monotonic()
    try:
        outcome = run.replay(transcript.load(path), lab_dir, default_timeout=timeout)
    except transcript.TranscriptError as error:
        return Verdict(path, Kind.BROKEN, str(error), 0, 0.0, replayed=False)
    except OSError as error:
        return Verdict(path, Kind.BROKEN, f"{path}: {error}", 0, 0.0, replayed=False)
    seconds = time.monotonic() - started
    commands = len(outcome.commands)
    if outcome.ok:
        return Verdict(path, Kind.OK, "", commands, seconds)
    new_text = update.updated_text(outcome, mode)
    if new_text is not None:
        path.write_text(new_text, encoding="utf-8")
        left = mode is update.Mode.FILL and any(r.command.expected for r in outcome.mismatches)
        return Verdict(path, Kind.UPDATED, "", commands, seconds, still_differs=left)
    details = report.describe(outcome, docs_dir, lab_dir)
    if outcome.skipped:
        lacks = outcome.kernel_lacks
        return Verdict(path, Kind.SKIPPED, details, commands, seconds, kernel_lacks=lacks)
    kind = Kind.BROKEN if outcome.error else Kind.DIFFERS
    return Verdict(path, kind, details, commands, seconds)
