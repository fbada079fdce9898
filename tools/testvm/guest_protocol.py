"""What the host and the guest say to each other: the plan the guest reads (which transcripts,
which files of the checkout to copy), the command it runs (tools/testvm/guest.sh), and the marker
lines it prints back, which Run turns into the report.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections import deque
from pathlib import Path

from prerequisites import REPO
from verdict import Report, TranscriptResult
from vng_command import GUEST_PLAN_DIR

GUEST_SCRIPT = "tools/testvm/guest.sh"
# The plan's files: the transcripts, one per line; the checkout's files the guest copies into
# its memory, NUL-separated (see guest.sh and checkout_files()). The guest's command travels on
# the kernel command line, which holds 2048 bytes on x86: a list of every transcript had
# outgrown it (the guest then never started), so the list is a file.
PLAN_FILE = "transcripts"
CHECKOUT_LIST = "checkout-files"
# The checkout's Python, compiled on the host before the boot (see precompile()).
PRECOMPILED = ("lab", "snippets_grammar")


def display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(REPO))
    return str(path)


def precompile() -> None:
    """Write the bytecode of the checkout's Python (lab/labrun, the podnet plugin) on the host.

    The guest sees the checkout read-only, so without it every `lab/replay` and every podnet
    process compiles its modules again, under TCG: seconds each, 40 podnet processes in one
    command. Python checks each .pyc against its source's size and modification time, and
    only one written by the guest's Python version (Debian 12: 3.11) is used there; a host
    with another Python writes files the guest ignores. __pycache__/ is git-ignored.
    """
    subprocess.run(  # noqa: S603 - fixed argv
        [sys.executable, "-m", "compileall", "-q", "-j0", *PRECOMPILED],
        cwd=REPO,
        capture_output=True,
        check=False,
        timeout=120,
    )


class Run:
    """Follows the guest's marker lines and fills the report."""

    def __init__(self, report: Report, nonce: str, started: float, echo: bool) -> None:
        self.report = report
        self.prefix = f"@@lab-vm {nonce} "
        self.started = started
        self.echo = echo
        self.finished = False
        self.current: tuple[str, float] | None = None
        # The guest's own measure of the current transcript's replay ("took" marker): replays
        # run side by side and are reported when done, so arrival times do not show it.
        self.took: float | None = None
        # Transcripts the guest started ("replaying" marker) and has not reported yet.
        self.replaying: list[str] = []
        self.transcript_lines: list[str] = []
        self.tail: deque[str] = deque(maxlen=40)

    def say(self, text: str) -> None:
        if self.echo:
            print(f"[vm] {text}", flush=True)

    def feed(self, when: float, line: str) -> None:
        if not line.startswith(self.prefix):
            self.tail.append(line)
            if self.current:
                self.transcript_lines.append(line)
            if self.echo:
                print(line, flush=True)
            return
        kind, _, rest = line.removeprefix(self.prefix).partition(" ")
        if kind == "booted":
            self.report.boot_seconds = round(when - self.started, 2)
            self.say(f"booted, first command after {self.report.boot_seconds:.1f} s")
        elif kind == "kernel":
            self.report.guest_kernel = rest
        elif kind == "release":
            self.report.guest_release = rest
        elif kind == "tool":
            name, _, version = rest.partition(" ")
            self.report.tools[name] = version
        elif kind == "finished":
            self.finished = True
        else:
            self.transcript_marker(kind, rest, when)

    def transcript_marker(self, kind: str, rest: str, when: float) -> None:
        """A marker about one transcript: replaying, start, took, result."""
        if kind == "replaying":
            self.replaying.append(rest)
            self.say(f"replaying {rest}")
        elif kind == "start":
            self.current = (rest, when)
            self.transcript_lines = []
            self.took = None
            self.say(f"output of {rest}:")
        elif kind == "took":
            seconds, _, _ = rest.partition(" ")
            with contextlib.suppress(ValueError):
                self.took = float(seconds)
        elif kind == "result":
            status, _, transcript = rest.partition(" ")
            since = self.current[1] if self.current else when
            seconds = self.took if self.took is not None else when - since
            result = TranscriptResult(
                transcript, int(status), round(seconds, 2), "\n".join(self.transcript_lines)
            )
            self.report.results.append(result)
            self.current = None
            self.took = None
            if transcript in self.replaying:
                self.replaying.remove(transcript)
            self.say(f"{'PASS' if result.passed else 'FAIL'} {transcript} ({result.seconds:.1f} s)")


def write_plan(folder: Path, transcripts: list[str], checkout: list[str] | None = None) -> None:
    (folder / PLAN_FILE).write_text("".join(f"{name}\n" for name in transcripts))
    if checkout is not None:
        (folder / CHECKOUT_LIST).write_text("".join(f"{name}\0" for name in checkout))


def checkout_files() -> list[str] | None:
    """What the guest copies from /vagrant into its memory: the author's files as git sees
    them (tracked, and new ones not ignored), and the bytecode precompile() wrote. Not what
    .gitignore leaves out: the virtualenv, built sites, Lighthouse's node_modules, caches,
    which would cost minutes to copy over 9p under TCG. None (no copy: the guest replays from
    the share) when this is not a git checkout."""
    try:
        listed = subprocess.run(  # noqa: S603 - fixed argv
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
            timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    names = [name for name in listed.stdout.decode().split("\0") if name]
    # Listed but deleted in the working tree: nothing to copy.
    files = [name for name in names if os.path.lexists(REPO / name)]
    for folder in PRECOMPILED:
        files += sorted(str(path.relative_to(REPO)) for path in (REPO / folder).rglob("*.pyc"))
    return files


def guest_command(nonce: str, replay: Path, command_timeout: float, jobs: int) -> list[str]:
    """What the guest runs: tools/testvm/guest.sh, reading the transcripts from the plan."""
    return [
        "env",
        f"LAB_VM_JOBS={jobs}",  # tools/testvm/guest.sh: transcripts replayed at once
        "bash",
        GUEST_SCRIPT,
        nonce,
        display(replay),
        f"{command_timeout:g}",
        f"{GUEST_PLAN_DIR}/{PLAN_FILE}",
    ]
