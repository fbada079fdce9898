"""The system programs a command looks up and runs, itself or through the tools it starts.

The inventory (tool_inventory.py) reads what the project's own sources run. The tools they
start run programs of their own, which no source of ours names: virtme-ng looks up `modprobe`
and `depmod`, runs `file` on busybox and QEMU with `--version`. Those are found by watching:
`strace -f` follows every process of the command and records each program executed
(execve) and each program file looked up (access/stat of a file in a system bin directory that
succeeded: a lookup that finds a program is a lookup that will use it, `shutil.which` and
virtme-ng's own search both work this way).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from tool_inventory import SYSTEM_PROGRAM_RE, Use

# The system calls that run a program or find one: execve, and the access and stat families
# behind `shutil.which`, `os.path.isfile` and `command -v`.
TRACED_CALLS = "execve,access,faccessat,faccessat2,stat,lstat,newfstatat,statx"
# `1234 newfstatat(AT_FDCWD, "/usr/sbin/modprobe", {...}, 0) = 0`: the pid, the call, its first
# quoted path, and the result: 0 (found, or executed), or -1 and the error.
LOOKUP_LINE = re.compile(
    r"^(?:\[pid\s+)?\d+\]?\s+\w+\((?:AT_FDCWD, |\d+, )?\"(?P<path>[^\"]+)\".*\)\s+= "
    r"(?P<result>0|-1 \w+)"
)


def lookups(trace: str) -> list[tuple[str, bool]]:
    """(path, succeeded) for every traced call on a path, in the order of the log."""
    return [
        (match["path"], match["result"] == "0")
        for match in map(LOOKUP_LINE.match, trace.splitlines())
        if match
    ]


def programs_in_trace(trace: str) -> set[str]:
    """System program paths executed or found in an `strace -f` log."""
    # A folder (a lookup walking PATH stats /usr/bin itself) or anything outside the system
    # bin directories (libraries, the virtualenv) is not a program the machine must have.
    return {
        path
        for path, succeeded in lookups(trace)
        if succeeded and SYSTEM_PROGRAM_RE.match(path) and Path(path).is_file()
    }


def programs_not_found(trace: str) -> list[str]:
    """Program names looked up in system bin directories and found in none of them."""
    looked_up, found = set(), set()
    for path, succeeded in lookups(trace):
        if succeeded:
            found.add(Path(path).name)  # anywhere: vng is found in the virtualenv, not /usr/bin
        elif SYSTEM_PROGRAM_RE.match(path):
            looked_up.add(Path(path).name)
    return sorted(looked_up - found)


def traced_uses(argv: list[str], where: str, timeout: float) -> list[Use]:
    """Run argv under strace; one Use per system program it or its children ran or found.
    Fails with the command's own output when the command fails: an incomplete trace would
    let a missing program pass."""
    with tempfile.NamedTemporaryFile("r", suffix=".strace") as log:
        done = subprocess.run(
            # --seccomp-bpf: only the traced calls stop the process, so QEMU-sized tools
            # run at nearly full speed under the tracer.
            [
                "strace",
                "-f",
                "--seccomp-bpf",
                "-qq",
                "-e",
                f"trace={TRACED_CALLS}",
                "-o",
                log.name,
                *argv,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
        )
        trace = Path(log.name).read_text(errors="replace")
        if done.returncode != 0:
            # A program it needs may be missing here (no package installs it): name what it
            # looked for and found nowhere, beside its own words.
            missing = ", ".join(programs_not_found(trace)) or "none"
            raise AssertionError(
                f"{where}: {' '.join(argv)} failed under strace (exit {done.returncode}); "
                f"programs it looked up and found nowhere on this machine: {missing}\n"
                f"{done.stdout}{done.stderr}"
            )
    return [Use(path, where) for path in sorted(programs_in_trace(trace))]
