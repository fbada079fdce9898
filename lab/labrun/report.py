"""Failure reports: the transcript line, the page line that shows it, and a unified diff."""

from __future__ import annotations

import difflib
from pathlib import Path

from labrun import articles, compare
from labrun.run import CommandOutcome, Outcome


def shown_at(
    docs_dir: Path | None, lab_dir: Path, path: Path, sections: tuple[str, ...]
) -> list[str]:
    """Page lines whose `--8<--` include shows a command in these sections of this transcript."""
    if docs_dir is None or not docs_dir.is_dir():
        return []
    return [
        include.where + (f" (section '{include.section}')" if include.section else "")
        for include in articles.all_includes(docs_dir)
        if (lab_dir / include.target).resolve() == path.resolve()
        and (include.section is None or include.section in sections)
    ]


def describe(outcome: Outcome, docs_dir: Path | None, lab_dir: Path) -> str:
    """Everything wrong with one replay, readable in a terminal; empty if nothing is."""
    parts: list[str] = []
    if outcome.skipped:
        parts.append(f"SKIPPED {outcome.skipped}")
    if outcome.error is not None:
        parts.append(f"ERROR {outcome.error}")
    for result in outcome.mismatches:
        parts.append(describe_mismatch(result, outcome, docs_dir, lab_dir))
    return "\n\n".join(parts)


def _renaming_for_diff(result: CommandOutcome) -> compare.Renaming:
    """Bind the volatile values of lines that still match, so the diff shows only real changes."""
    renaming = result.renaming_before
    expected, actual = result.command.expected, result.actual
    matcher = difflib.SequenceMatcher(
        None, [compare.mask(line) for line in expected], [compare.mask(line) for line in actual]
    )
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag != "equal":
            continue
        for offset in range(i2 - i1):
            extended = compare.match_line(expected[i1 + offset], actual[j1 + offset], renaming)
            renaming = extended or renaming
    return renaming


def describe_mismatch(
    result: CommandOutcome, outcome: Outcome, docs_dir: Path | None, lab_dir: Path
) -> str:
    command = result.command
    path = outcome.transcript.path
    pages = shown_at(docs_dir, lab_dir, path, command.sections)
    if pages:
        where = "\n".join(f"  shown at {page}" for page in pages)
    elif command.sections:
        where = f"  in section(s) {', '.join(command.sections)}, which no page includes"
    else:
        where = "  hidden setup (outside every section; no page shows it)"
    published = command.expected + ([f"[{command.status}]"] if command.status else [])
    renaming = _renaming_for_diff(result)
    real = [compare.translate(line, renaming) for line in result.actual]
    real += [f"[{result.status}]"] if result.status else []
    diff = difflib.unified_diff(
        published,
        real,
        fromfile=f"{path}:{command.line} (published)",
        tofile="real output",
        lineterm="",
    )
    body = "\n".join(diff)
    if not body:
        body = "  (a volatile value stands for a different real value than elsewhere)\n"
        body += "\n".join(f"  real: {line}" for line in result.actual)
    first = command.source[0] + (" ..." if len(command.source) > 1 else "")
    return f"{path}:{command.line}: output differs for `$ {first}`\n{where}\n{body}"
