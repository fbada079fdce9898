"""Rewrite a transcript after a replay: only commands whose output changed, minimal diff.

Lines that still match stay as published (with their `...`, markers and the volatile values the
article already shows); changed lines take the real output, written with the published value of
every volatile token the renaming already knows.
"""

from __future__ import annotations

import difflib
from enum import Enum

from labrun import compare
from labrun.run import CommandOutcome, Outcome
from labrun.transcript import WILDCARD


class Mode(Enum):
    CHECK = "check"
    FILL = "fill"  # only commands that have no output written yet
    UPDATE = "update"  # every command whose output or status changed


def updated_text(outcome: Outcome, mode: Mode) -> str | None:
    """The transcript's new text, or None when nothing needs rewriting."""
    if mode is Mode.CHECK or outcome.error is not None or outcome.skipped:
        return None
    lines = list(outcome.transcript.lines)
    changed = False
    for result in reversed(outcome.mismatches):
        command = result.command
        if mode is Mode.FILL and (command.expected or command.status):
            continue
        new = rewrite(result, outcome.renaming)
        if result.status:
            new.append(f"[{result.status}]")
        lines[command.output_start : command.output_end] = new
        changed = True
    if not changed:
        return None
    return "\n".join(lines) + "\n"


def rewrite(result: CommandOutcome, renaming: compare.Renaming) -> list[str]:
    """New published output for one command: keep what still matches, replace the rest."""
    expected, actual = result.command.expected, result.actual
    translated = [compare.translate(line, renaming) for line in actual]
    kept: list[str] = []
    matcher = difflib.SequenceMatcher(
        None,
        [None if line == WILDCARD else compare.mask(line) for line in expected],
        [compare.mask(line) for line in actual],
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = expected[i1:i2], actual[j1:j2]
        if tag == "equal" or (
            WILDCARD in old and compare.match_output(old, new, compare.Renaming()) is not None
        ):
            kept.extend(old)
            continue
        if old[:1] == [WILDCARD]:
            kept.append(WILDCARD)
        kept.extend(translated[j1:j2])
        if len(old) > 1 and old[-1] == WILDCARD:
            kept.append(WILDCARD)
    for candidate in (kept, translated):
        if compare.match_output(candidate, actual, result.renaming_before) is not None:
            return candidate
    return list(actual)
