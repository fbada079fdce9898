"""A throwaway network sandbox holding one bash session: nothing it does reaches the host.

`unshare` gives the session its own user (when not root), network, mount, PID, UTS and IPC
namespaces. Inside, a private tmpfs on /run keeps `ip netns add` from leaving /run/netns entries
on the host, /sys is remounted so /sys/class/net shows the sandbox's own devices, /tmp is
private but the project (lab/'s parent) stays visible, read-only, even when it lives under
/tmp, and name lookups go to 127.0.0.1 (nothing answers: they fail at once instead of waiting
for the host's DNS server, which the sandbox cannot reach). /var/lib is copy-on-write over a
tmpfs, so tools that keep state there (CNI's /var/lib/cni, containerd) write only into the
sandbox. When the sandbox ends (normally, on a timeout, or because the runner was killed), the
kernel tears every namespace down with its last process: interfaces, namespaces, routes and
firewall rules disappear with it. Cgroups are the exception the kernel leaves: see cgroups.py.
"""

from __future__ import annotations

import ctypes
import os
import re
import secrets
import select
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from labrun import cgroups

# PID 1 of every sandbox: a shell script of its own, so shellcheck reads it like the others.
INIT_SCRIPT = (Path(__file__).with_name("sandbox-init.sh")).read_text(encoding="utf-8")

SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PR_SET_PDEATHSIG = 1


class SandboxError(Exception):
    """The sandbox could not start, or its shell died or hung."""


class CommandTimeout(SandboxError):
    def __init__(self, seconds: float, output: str) -> None:
        super().__init__(f"no prompt after {seconds:g} s (the command hangs)")
        self.output = output


@dataclass
class Result:
    output: str
    status: int


def environment(token: str) -> dict[str, str]:
    """The fixed environment every transcript starts from: same output on every machine.

    PATH is the system's own, never the project's virtualenv: `python3` in a transcript is the
    reader's /usr/bin/python3 with Debian's modules (python3-grpcio), exactly what the VM has.
    """
    return {
        "PATH": SYSTEM_PATH,
        "HOME": "/tmp/home",
        "LC_ALL": "C",
        "LANG": "C",
        "TZ": "UTC",
        "COLUMNS": "80",
        "LINES": "24",
        "TERM": "dumb",
        "PAGER": "cat",
        "SYSTEMD_PAGER": "",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Lets tests prove that no process of this sandbox outlives it.
        "LABRUN_SANDBOX": token,
    }


def unshare_argv(use_userns: bool, cgroupns: bool = False) -> list[str]:
    argv = ["unshare"]
    if use_userns:
        argv += ["--user", "--map-root-user"]
    if cgroupns:
        argv += ["--cgroup"]
    return [
        *argv,
        "--net",
        "--mount",
        "--propagation",
        "private",
        "--uts",
        "--ipc",
        "--pid",
        "--fork",
        "--kill-child",
        "--mount-proc",
        "--",
    ]


def _die_with_parent() -> None:
    """Runs in the child before exec: SIGKILL it if the runner dies (even by SIGKILL)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _start_reaper(directories: list[Path]) -> subprocess.Popen[bytes]:
    """The process that removes the sandbox's cgroups once the runner closes its stdin or dies
    (its own session: a signal to the runner's process group does not reach it)."""
    return subprocess.Popen(  # noqa: S603 - fixed argv
        [sys.executable, "-I", cgroups.__file__, *map(str, directories)],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        cwd="/",
        start_new_session=True,
    )


class Sandbox:
    """One bash session in fresh namespaces; use as a context manager."""

    def __init__(
        self,
        lab_dir: Path,
        workdir: Path,
        *,
        use_userns: bool | None = None,
        start_timeout: float = 10.0,
    ) -> None:
        self.lab_dir = lab_dir.resolve()
        self.start_timeout = start_timeout
        self.workdir = workdir.resolve()
        self.use_userns = os.geteuid() != 0 if use_userns is None else use_userns
        self.token = secrets.token_hex(8)
        self.sentinel = re.compile(rb"\x1e" + self.token.encode() + rb" ([0-9]+)\n")
        self.process: subprocess.Popen[bytes] | None = None
        self.buffer = b""
        self.cgroups: list[Path] = []
        self.reaper: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def start(self) -> None:
        # Only real root may create cgroups (and a rootless runc makes none).
        if not self.use_userns:
            self.cgroups = cgroups.create(self.token)
            self.reaper = _start_reaper(self.cgroups)
        directories = self.cgroups

        def prepare_child() -> None:
            _die_with_parent()
            cgroups.join(directories)

        argv = [
            *unshare_argv(self.use_userns, cgroupns=bool(self.cgroups)),
            "sh",
            "-c",
            INIT_SCRIPT,
            "labrun-sandbox",
            str(self.lab_dir.parent),
            str(self.workdir),
            "cgroupns" if self.cgroups else "",
        ]
        try:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argv, no shell on the host side
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=environment(self.token),
                cwd="/",
                start_new_session=True,
                preexec_fn=prepare_child,  # noqa: PLW1509 - only prctl and cgroup writes
            )
        except OSError:
            self._reap_cgroups()
            raise
        result = self.run("true", timeout=self.start_timeout)
        if result.status != 0 or result.output:
            self.close()
            raise SandboxError(f"sandbox did not start: {result.output.strip()}")
        try:
            cgroups.leave_root(self.cgroups)
        except OSError as error:
            self.close()
            raise SandboxError(f"cannot set up the sandbox's cgroups: {error}") from error

    def run(self, command: str, timeout: float) -> Result:
        """Run one command (stdin /dev/null, stderr merged) and wait for the next prompt."""
        # The braces keep `cd`, variables and background jobs in this shell; the sentinel
        # line reports the status and marks the end of the output.
        return self._send(f"{{\n{command}\n}} </dev/null 2>&1\n", timeout)

    def enter_netns(self, netns: str, timeout: float) -> Result:
        """A nested shell in another network namespace, reading the same input."""
        return self._send(
            f"ip netns exec {shlex.quote(netns)} bash --noprofile --norc -s\n", timeout
        )

    def leave_netns(self, timeout: float) -> Result:
        return self._send("exit\n", timeout)

    def _send(self, script: str, timeout: float) -> Result:
        process = self.process
        if process is None or process.stdin is None or process.stdout is None:
            raise SandboxError("the sandbox is not running")
        trailer = f"printf '\\036%s %d\\n' {self.token} \"$?\"\n"
        try:
            process.stdin.write(script.encode() + trailer.encode())
            process.stdin.flush()
        except BrokenPipeError:
            raise SandboxError("the sandbox's shell has exited") from None
        deadline = time.monotonic() + timeout
        fd = process.stdout.fileno()
        while (match := self.sentinel.search(self.buffer)) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise CommandTimeout(timeout, self.buffer.decode(errors="replace"))
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                output = self.buffer.decode(errors="replace")
                raise SandboxError(f"the sandbox's shell exited; it printed: {output.strip()!r}")
            self.buffer += chunk
        output = self.buffer[: match.start()].decode(errors="replace")
        self.buffer = self.buffer[match.end() :]
        return Result(output, int(match.group(1)))

    def close(self) -> None:
        """Kill the sandbox; its PID 1 dies with unshare (--kill-child), then every namespace;
        the reaper removes its cgroups."""
        process, self.process = self.process, None
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)
            _wait_for_group_to_exit(process.pid, timeout=10)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except BrokenPipeError:
                        pass
        self._reap_cgroups()

    def _reap_cgroups(self) -> None:
        reaper, self.reaper = self.reaper, None
        if reaper is None or reaper.stdin is None:
            return
        reaper.stdin.close()
        if reaper.wait(timeout=90) != 0:
            raise SandboxError(f"the sandbox's cgroups were not all removed: {self.cgroups}")


def _wait_for_group_to_exit(pgid: int, timeout: float) -> None:
    """SIGKILL is delivered asynchronously: wait until no process of the sandbox still runs, so
    a closed sandbox means nothing of it is left (a killed `sleep` can outlive `unshare` by a
    few milliseconds on a busy machine). Zombies do not count: they run nothing, and the host's
    init reaps them (some inits only every few seconds)."""
    deadline = time.monotonic() + timeout
    while _live_group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.002)


def _live_group_members(pgid: int) -> list[int]:
    members = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                # Fields after the command name, which may itself hold spaces and parentheses.
                fields = stat.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        state, group = fields[0], int(fields[2])
        if group == pgid and state != b"Z":
            members.append(int(entry.name))
    return members


def probe(lab_dir: Path, use_userns: bool | None = None, timeout: float = 10.0) -> str | None:
    """None if a sandbox can run here, else the reason it cannot."""
    try:
        with Sandbox(lab_dir, lab_dir, use_userns=use_userns, start_timeout=timeout) as sandbox:
            result = sandbox.run("ip link set lo up && ip netns add probe", timeout=timeout)
    except (OSError, SandboxError) as error:
        return f"cannot create a network sandbox here ({error})"
    if result.status != 0:
        return f"network namespaces do not work in the sandbox: {result.output.strip()}"
    return None
