"""Replay one transcript in a fresh sandbox and compare every command with what it shows."""

from __future__ import annotations

import functools
import os
import platform
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from labrun import compare, sandbox
from labrun.transcript import KERNEL, Command, Enter, Leave, Transcript, TranscriptError

DEFAULT_TIMEOUT = 10.0
SYNTAX_CHECK_TIMEOUT = 10.0


@dataclass
class CommandOutcome:
    command: Command
    actual: list[str]
    status: int
    matched: bool
    renaming_before: compare.Renaming


@dataclass
class Outcome:
    transcript: Transcript
    commands: list[CommandOutcome] = field(default_factory=list)
    renaming: compare.Renaming = field(default_factory=compare.Renaming)
    error: TranscriptError | None = None
    skipped: str | None = None
    # The skip is the running kernel's (`#lab: requires kernel:TYPE`): no package adds a link
    # type the kernel was built without, so CI may skip it here; the VM, on Debian 12's own
    # kernel, replays it with lab/replay, where any skip is a failure.
    kernel_lacks: bool = False

    @property
    def mismatches(self) -> list[CommandOutcome]:
        return [outcome for outcome in self.commands if not outcome.matched]

    @property
    def ok(self) -> bool:
        return self.error is None and self.skipped is None and not self.mismatches


def replay(
    parsed: Transcript,
    lab_dir: Path,
    *,
    default_timeout: float = DEFAULT_TIMEOUT,
    use_userns: bool | None = None,
) -> Outcome:
    """Run every step of the transcript in one sandbox; the sandbox is gone when this returns."""
    outcome = Outcome(parsed, renaming=compare.pinned(command.text for command in parsed.commands))
    check_syntax(parsed)
    # Starting a sandbox takes as long as a command may: a few ms here, seconds in a TCG VM.
    outcome.skipped = _probe(lab_dir, use_userns, default_timeout) or missing_requirement(
        parsed, lab_dir, use_userns
    )
    if outcome.skipped is None:
        outcome.skipped = missing_kernel_feature(parsed, lab_dir)
        outcome.kernel_lacks = outcome.skipped is not None
    if outcome.skipped:
        return outcome
    with sandbox.Sandbox(
        lab_dir, parsed.path.parent, use_userns=use_userns, start_timeout=default_timeout
    ) as box:
        for step in parsed.steps:
            try:
                if isinstance(step, Command):
                    # `#lab: timeout N` raises the limit for a slow command; it never lowers
                    # a default raised for a slow machine (the VM's TCG replays at 120 s).
                    result = box.run(step.text, max(step.timeout or 0, default_timeout))
                    outcome.commands.append(_compare(step, result, outcome))
                elif isinstance(step, Enter):
                    _expect_success(parsed, step.line, box.enter_netns(step.netns, default_timeout))
                elif isinstance(step, Leave):
                    _expect_success(parsed, step.line, box.leave_netns(default_timeout))
            except sandbox.CommandTimeout as timeout:
                seen = timeout.output.strip()
                message = f"{timeout}: {step_text(step)}"
                if seen:
                    message += f"\n  output so far: {seen[-500:]!r}"
                outcome.error = TranscriptError(parsed.path, step.line, message)
                break
            except sandbox.SandboxError as error:
                outcome.error = TranscriptError(
                    parsed.path, step.line, f"{error}: {step_text(step)}"
                )
                break
            except TranscriptError as error:
                outcome.error = error
                break
    return outcome


def step_text(step: Command | Enter | Leave) -> str:
    if isinstance(step, Command):
        return f"`{step.text}`"
    if isinstance(step, Enter):
        return f"#lab: enter {step.netns}"
    return "#lab: leave"


def _compare(command: Command, result: sandbox.Result, outcome: Outcome) -> CommandOutcome:
    actual = compare.normalize(result.output)
    before = outcome.renaming
    extended = None
    if result.status == command.status:
        extended = compare.match_output(command.expected, actual, before)
    if extended is not None:
        outcome.renaming = extended
    return CommandOutcome(command, actual, result.status, extended is not None, before)


def _expect_success(parsed: Transcript, line: int, result: sandbox.Result) -> None:
    if result.status != 0:
        raise TranscriptError(parsed.path, line, result.output.strip())


def check_syntax(parsed: Transcript) -> None:
    """Reject a command bash cannot parse before it swallows the rest of the session."""
    bash = shutil.which("bash") or "/bin/bash"
    for command in parsed.commands:
        checked = subprocess.run(  # noqa: S603 - fixed argv
            [bash, "-n", "-c", command.text],
            capture_output=True,
            text=True,
            check=False,
            timeout=SYNTAX_CHECK_TIMEOUT,
        )
        if checked.returncode != 0:
            problem = re.sub(r"^.*?-c: line [0-9]+: ", "", checked.stderr.strip())
            raise TranscriptError(
                parsed.path, command.line, f"bash cannot parse the command: {problem}"
            )


@functools.cache
def _probe(lab_dir: Path, use_userns: bool | None, timeout: float) -> str | None:
    return sandbox.probe(lab_dir, use_userns, timeout)


_link_probes: dict[str, str | None] = {}


def missing_requirement(
    parsed: Transcript, lab_dir: Path, use_userns: bool | None = None
) -> str | None:
    """Why a `#lab: requires` item is not available here, or None."""
    path = sandbox.SYSTEM_PATH
    rootless = os.geteuid() != 0 if use_userns is None else use_userns
    for item in parsed.requires:
        if item == "root":
            if rootless:
                return (
                    f"{parsed.path}: requires root: its sandbox must be real root, not a user "
                    "namespace (runc creates cgroups; tcpdump drops to its own user, which a "
                    "user namespace cannot map); run it as root (sudo lab/replay)"
                )
        elif item.startswith("link:"):
            problem = _probe_link(item.removeprefix("link:"), lab_dir)
            if problem:
                return problem
        elif item.startswith(KERNEL):
            continue  # the kernel's, not the machine's: missing_kernel_feature
        elif item.startswith("/"):
            if not Path(item).exists():
                return f"{parsed.path}: requires {item}, which does not exist here"
        elif shutil.which(item, path=path) is None:
            return f"{parsed.path}: requires the command '{item}', not found in PATH"
    return None


def missing_kernel_feature(parsed: Transcript, lab_dir: Path) -> str | None:
    """Why a `#lab: requires kernel:TYPE` link type cannot be made on the running kernel, or
    None. Kept apart from missing_requirement: installing packages cannot fix it."""
    for kind in parsed.kernel_links:
        problem = _probe_link(kind, lab_dir)
        # "File exists": the kernel knows the type, and a parameterless link of it collides
        # with the fallback device its module made in every namespace (ipip's tunl0).
        if problem and "File exists" not in problem:
            return (
                f"{parsed.path}: requires kernel:{kind}, which this kernel "
                f"({platform.release()}) lacks here ({problem}); the test VM runs it on "
                "Debian 12's kernel"
            )
    return None


def _probe_link(kind: str, lab_dir: Path) -> str | None:
    if kind not in _link_probes:
        with sandbox.Sandbox(lab_dir, lab_dir) as box:
            result = box.run(f"ip link add labprobe0 type {shlex.quote(kind)}", DEFAULT_TIMEOUT)
        _link_probes[kind] = (
            None
            if result.status == 0
            else f"links of type '{kind}' do not work in the sandbox: {result.output.strip()}"
        )
    return _link_probes[kind]
