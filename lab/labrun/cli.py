"""`lab/replay [--update|--fill] [TRANSCRIPT ...]`: replay transcripts, print a diff per mismatch.

Exit status: 0 every transcript matches, 1 some output differs, 2 bad input or cannot run
(malformed transcript, hanging command, sandbox unavailable, missing requirement).
"""

from __future__ import annotations

import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from labrun import audit, run, update, verdict

LAB_DIR = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_MISMATCH, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="replay", description="Replay lab transcripts in a network sandbox and compare."
    )
    modes = parser.add_mutually_exclusive_group()
    modes.add_argument(
        "--update", action="store_true", help="rewrite the output of commands that changed"
    )
    modes.add_argument(
        "--fill", action="store_true", help="write the output of commands that have none yet"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=run.DEFAULT_TIMEOUT,
        help="seconds a command may take (default %(default)s; '#lab: timeout N' overrides)",
    )
    parser.add_argument("-j", "--jobs", type=int, default=1, help="transcripts run in parallel")
    parser.add_argument("--lab-dir", type=Path, default=LAB_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--docs-dir", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("transcripts", nargs="*", type=Path, metavar="TRANSCRIPT")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    lab_dir = args.lab_dir.resolve()
    docs_dir = args.docs_dir or lab_dir.parent / "docs"
    mode = (
        update.Mode.UPDATE if args.update else update.Mode.FILL if args.fill else update.Mode.CHECK
    )
    paths = args.transcripts or [_relative(path) for path in audit.transcripts(lab_dir)]
    if not paths:
        print(f"no transcripts under {lab_dir}", file=sys.stderr)
        return EXIT_BAD_INPUT

    def one(path: Path) -> tuple[int, str]:
        return replay_one(path, lab_dir, docs_dir, mode, args.timeout)

    try:
        if args.jobs <= 1:
            results = [one(path) for path in paths]
        else:
            with ThreadPoolExecutor(max_workers=args.jobs) as pool:
                results = list(pool.map(one, paths))
    except KeyboardInterrupt:
        # Exiting the process kills every sandbox still running (they die with their parent).
        print("interrupted", file=sys.stderr, flush=True)
        os._exit(EXIT_INTERRUPTED)
    for _, text in results:
        print(text, flush=True)
    worst = max(status for status, _ in results)
    counts = {status: sum(1 for s, _ in results if s == status) for status in (0, 1, 2)}
    print(
        f"{counts[EXIT_OK]} matched, {counts[EXIT_MISMATCH]} differ, "
        f"{counts[EXIT_BAD_INPUT]} could not run",
        file=sys.stderr,
    )
    return worst


# The exit status each verdict gives (the worst of all transcripts is lab/replay's own).
STATUS = {
    verdict.Kind.OK: EXIT_OK,
    verdict.Kind.UPDATED: EXIT_OK,
    verdict.Kind.DIFFERS: EXIT_MISMATCH,
    verdict.Kind.SKIPPED: EXIT_BAD_INPUT,
    verdict.Kind.BROKEN: EXIT_BAD_INPUT,
}


def replay_one(
    path: Path, lab_dir: Path, docs_dir: Path, mode: update.Mode, timeout: float
) -> tuple[int, str]:
    """Exit status and printable verdict for one transcript."""
    judged = verdict.judge(path, lab_dir, docs_dir, mode, timeout)
    status = EXIT_MISMATCH if judged.still_differs else STATUS[judged.kind]
    return status, judged.line()


def _relative(path: Path) -> Path:
    """Shorter paths in messages when the transcript is under the working directory."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
