#!/usr/bin/python3
"""Replay lab transcripts in the lab that runs in the reader's browser: v86 in Chromium.

The third environment, beside the sandbox and the test VM, and run the same way: the guest
(Debian 12 i386, restored from the image's snapshot) gets the checkout's lab/ and runs
`lab/replay` itself, one fresh sandbox per transcript, so the three share one runner and one
comparison (lab/labrun/compare.py). This driver types on the guest's serial console and reads
the verdicts back from marker lines.

Which transcripts: every lab/**/*.console but those that declare `#lab: not-in browser
<reason>` (given paths must not declare it).

Usage:
  replay.py [--report FILE] [--timeout SECONDS] [--image DIR] [TRANSCRIPT ...]

Exit status: 0 every transcript matched; 1 one differs (lab/replay's diff is printed);
2 bad input (no such transcript, or one declared not-in browser); 3 the emulator failed
(did not start, hung, reached for another host); 4 a prerequisite is missing (the image,
Chromium, v86, Playwright).
"""

from __future__ import annotations

import argparse
import json
import re
import secrets
import shlex
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import emulator
import guest_protocol
import image
from labrun import transcript

REPO = Path(__file__).resolve().parents[2]
LAB = REPO / "lab"
ENVIRONMENT = "browser"
# What the guest needs of the checkout: the transcripts, the runner and the files they use,
# and the `--8<--` grammar the runner shares with the site; and the pages' Markdown, so a diff
# says where the page shows the command.
CHECKOUT_FOLDERS = ("lab/", "snippets_grammar/")
CHECKOUT_PAGES = ("docs/", ".md")
# lab/replay's --timeout in the guest: the emulator runs a command about 40 times slower than
# this machine, and the sandbox's start counts as a command.
COMMAND_TIMEOUT = 120.0
# The guest's shell answers within this once restored (it was at its prompt when saved).
SHELL_TIMEOUT = 60.0
EXIT_OK, EXIT_MISMATCH, EXIT_BAD_INPUT, EXIT_EMULATOR, EXIT_MISSING = 0, 1, 2, 3, 4


@dataclass
class Result:
    transcript: str
    exit_status: int
    seconds: float
    output: str  # what lab/replay printed for it in the guest: its diff when it failed


@dataclass
class Report:
    image: str = ""
    v86: str = ""
    guest_machine: str = ""
    guest_release: str = ""
    restore_seconds: float | None = None
    replay_seconds: float | None = None  # lab/replay in the guest, all transcripts
    total_seconds: float = 0.0
    downloaded_bytes: int = 0
    results: list[Result] = field(default_factory=list)
    excluded: dict[str, str] = field(default_factory=dict)  # transcript -> the declared reason
    error: str = ""
    exit_status: int = EXIT_OK


class BadInput(Exception):
    pass


def display(path: Path) -> str:
    return str(path.resolve().relative_to(REPO))


def choose(paths: list[Path]) -> tuple[list[str], dict[str, str]]:
    """The transcripts to replay, and the ones left out with their declared reasons.

    A transcript that loads a kernel module (`#lab: requires kernel:ipip`) replays after the
    others, as in the test VM (tools/testvm/guest.sh): once ipip is loaded, every new network
    namespace gets a tunl0, which renumbers the devices the other transcripts show."""
    explicit = bool(paths)
    chosen, loading, excluded = [], [], {}
    for path in paths or sorted(LAB.rglob("*.console")):
        if not path.is_file():
            raise BadInput(f"{path}: no such transcript")
        try:
            parsed = transcript.load(path)
        except transcript.TranscriptError as error:
            raise BadInput(str(error)) from None
        reason = parsed.excluded.get(ENVIRONMENT)
        if reason is None:
            (loading if parsed.kernel_links else chosen).append(display(path))
        elif explicit:
            raise BadInput(f"{path} declares '#lab: not-in {ENVIRONMENT} {reason}'")
        else:
            excluded[display(path)] = reason
    return chosen + loading, excluded


def write_checkout(target: Path) -> None:
    """The checkout's lab/, snippets_grammar/ and pages as git sees them (tracked and new files, not
    ignored ones), with the bytecode compiled here: the guest's Python 3.11 reads it instead
    of compiling each module again, 40 times slower."""
    guest_protocol.precompile()
    files = guest_protocol.checkout_files()
    if files is None:
        raise BadInput(f"{REPO} is not a git checkout: cannot tell the author's files")
    with tarfile.open(target, "w") as archive:
        for name in files:
            page = name.startswith(CHECKOUT_PAGES[0]) and name.endswith(CHECKOUT_PAGES[1])
            if name.startswith(CHECKOUT_FOLDERS) or page:
                archive.add(REPO / name, arcname=name, recursive=False)


def run(
    paths: list[Path], report: Report, command_timeout: float, echo: bool, folder: Path
) -> None:
    chosen, report.excluded = choose(paths)
    if not image.is_built(folder):
        raise FileNotFoundError(f"the image is not built: {folder} (sudo make browser-lab-image)")
    report.image = folder.name
    # The v86 the snapshot was saved with: a state restores only in that build.
    report.v86 = json.loads((folder / "build.json").read_text())["v86"]
    nonce = secrets.token_hex(4)
    with tempfile.TemporaryDirectory(prefix="browserlab-checkout-") as scratch:
        checkout = Path(scratch) / "checkout.tar"
        write_checkout(checkout)
        extra = {"checkout.tar": checkout}
        with emulator.serve(folder, extra) as (url, served), emulator.browser() as page:
            guest = emulator.Guest(page, url)
            session = Session(guest, nonce, echo)
            started = time.monotonic()
            guest.start(state="image/state.bin.zst")
            session.shell("stty -echo", SHELL_TIMEOUT)
            report.restore_seconds = round(time.monotonic() - started, 2)
            report.guest_machine = session.shell("uname -m", SHELL_TIMEOUT).strip()
            report.guest_release = session.shell("cat /etc/debian_version", SHELL_TIMEOUT).strip()
            guest.put("/checkout.tar", "checkout.tar")
            session.shell(
                "mkdir -p /vagrant && tar -C /vagrant -xf /checkout.tar && rm /checkout.tar",
                SHELL_TIMEOUT,
            )
            # One lab/replay for all: Python takes about a minute of emulated CPU to import
            # the runner, paid once. Each transcript still gets its own fresh sandbox.
            commands = sum(len(transcript.load(REPO / name).commands) for name in chosen)
            limit = (commands + 2 * len(chosen)) * command_timeout
            began = time.monotonic()
            output, _ = session.run(
                f"cd /vagrant && lab/replay --timeout {command_timeout:g} "
                + " ".join(shlex.quote(name) for name in chosen),
                limit,
            )
            report.replay_seconds = round(time.monotonic() - began, 1)
            report.results = verdicts(output, chosen)
            if echo:
                for result in report.results:
                    verdict = "PASS" if result.exit_status == 0 else "FAIL"
                    print(f"{verdict} {result.transcript} ({result.seconds:.1f} s)", flush=True)
                    if result.exit_status:
                        print(result.output, flush=True)
            report.downloaded_bytes = served.total()


# lab/replay's verdict on one transcript, first line (lab/labrun/cli.py): "ok    PATH (N
# commands, S s)", "FAIL  PATH (...)" and its details, or "ERROR PATH:LINE: message".
VERDICT_RE = re.compile(
    r"^(?P<verdict>ok   |FAIL |ERROR) (?P<path>\S+?\.console)(?::| \((?:[0-9]+ commands, )?"
    r"(?P<seconds>[0-9.]+) s\))",
    re.M,
)


def verdicts(output: str, chosen: list[str]) -> list[Result]:
    """One result per chosen transcript, from lab/replay's output; one it gave no verdict on
    fails (a crash or a timeout must not pass as a match)."""
    found = list(VERDICT_RE.finditer(output))
    results = {}
    for index, match in enumerate(found):
        end = found[index + 1].start() if index + 1 < len(found) else len(output)
        text = output[match.start() : end].strip()
        status = EXIT_OK if match["verdict"] == "ok   " else EXIT_MISMATCH
        results[match["path"]] = Result(match["path"], status, float(match["seconds"] or 0), text)
    tail = output[-2000:]
    return [
        results.get(name, Result(name, EXIT_MISMATCH, 0.0, f"no verdict from lab/replay:\n{tail}"))
        for name in chosen
    ]


class Session:
    """Commands typed on the guest's console, each followed by a marker with its status."""

    def __init__(self, guest: emulator.Guest, nonce: str, echo: bool) -> None:
        self.guest = guest
        self.marker = f"@@browserlab-{nonce}"
        self.echo = echo

    def run(self, command: str, timeout: float) -> tuple[str, int]:
        """What the command printed, and its exit status. The status is printed as a number
        after the marker, so the echo of the typed line (`$?`) is never taken for it."""
        begin = self.guest.position()
        self.guest.send(f"{command}; echo {self.marker} $?\n")
        found = self.guest.wait_for(re.escape(self.marker) + r" ([0-9]+)\r?\n", begin, timeout)
        output = self.guest.output(begin)[: found.start()]
        lines = output.replace("\r\n", "\n").split("\n")
        # The first line is the typed command echoed back, when the terminal still echoes.
        if lines and command in lines[0]:
            lines = lines[1:]
        return "\n".join(lines), int(found.group(1))

    def shell(self, command: str, timeout: float) -> str:
        """Run a command that must succeed; its output."""
        output, status = self.run(command, timeout)
        if status != 0:
            raise emulator.EmulatorError(f"`{command}` failed in the guest ({status}): {output}")
        return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, help="write the run as JSON to this file")
    parser.add_argument(
        "--timeout",
        type=float,
        default=COMMAND_TIMEOUT,
        help="seconds one command may take in the guest (default %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="print only the summary")
    parser.add_argument(
        "--image",
        type=Path,
        help="a built image folder (default: the one the current inputs make, in the cache)",
    )
    parser.add_argument("transcripts", nargs="*", type=Path, metavar="TRANSCRIPT")
    args = parser.parse_args(argv)
    report = Report()
    started = time.monotonic()
    missing = emulator.missing_prerequisites()
    try:
        if missing:
            raise FileNotFoundError("; ".join(missing))
        folder = args.image or image.image_path()
        run(args.transcripts, report, args.timeout, not args.quiet, folder)
        failed = [result.transcript for result in report.results if result.exit_status]
        report.exit_status = EXIT_MISMATCH if failed else EXIT_OK
    except BadInput as error:
        report.error, report.exit_status = str(error), EXIT_BAD_INPUT
    except (FileNotFoundError, image.ImageError) as error:
        report.error, report.exit_status = str(error), EXIT_MISSING
    except emulator.EmulatorError as error:
        report.error, report.exit_status = str(error), EXIT_EMULATOR
    report.total_seconds = round(time.monotonic() - started, 1)
    if args.report:
        args.report.write_text(json.dumps(asdict(report), indent=2) + "\n")
    if report.error:
        print(f"browser lab: error: {report.error}", file=sys.stderr)
    else:
        passed = sum(1 for result in report.results if result.exit_status == 0)
        print(
            f"browser lab: {passed} of {len(report.results)} transcripts matched, "
            f"{len(report.excluded)} declared not-in {ENVIRONMENT}; "
            f"restore {report.restore_seconds} s, total {report.total_seconds} s",
            file=sys.stderr,
        )
    return report.exit_status


if __name__ == "__main__":
    sys.exit(main())
