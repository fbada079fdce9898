"""One vng process and the QEMU below it: its output lines as they arrive, and a kill that
leaves no process behind, by PID, whatever happens (timeout, Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from prerequisites import REPO


def descendants(root_pid: int) -> list[int]:
    """PIDs of every process below root_pid, read from /proc (children before parents' exit)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces or parentheses: split after the last ')'.
            fields = stat.read_text().rpartition(")")[2].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    todo = [root_pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running(pid: int) -> bool:
    """True while pid exists and is not a zombie waiting for its (killed) parent's reaper."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


class VM:
    """One vng process (and the QEMU below it) whose output lines arrive with their time."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.started = time.monotonic()
        # virtme-ng leaves a temporary file behind when killed: keep its files in a folder
        # of ours, removed in kill().
        self.scratch = tempfile.mkdtemp(prefix="lab-vm-")
        env = {**env, "TMPDIR": self.scratch}
        # A session of its own: the driver's terminal signals do not reach QEMU half-way,
        # and cleanup can name exactly the processes started here.
        self.process = subprocess.Popen(  # noqa: S603 - argv list, no shell
            argv,
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for raw in self.process.stdout:
            self.lines.put((time.monotonic(), raw.decode(errors="replace").rstrip("\r\n")))
        self.lines.put((time.monotonic(), None))

    def output(self, deadline: Callable[[], float]) -> Iterator[tuple[float, str]]:
        """Yield (arrival time, line) until the VM closes its output; TimeoutError at deadline()."""
        while True:
            remaining = deadline() - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:
                when, line = self.lines.get(timeout=remaining)
            except queue.Empty:
                raise TimeoutError from None
            if line is None:
                return
            yield when, line

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout=timeout)

    def kill(self) -> None:
        """End vng and every process it started (QEMU included), by PID; never block for long."""
        if self.process.poll() is None:
            self._terminate([self.process.pid, *descendants(self.process.pid)])
        # Every writer is gone: the reader sees end of file, then the pipe can be closed.
        self.reader.join(timeout=5)
        if self.process.stdout is not None and not self.reader.is_alive():
            self.process.stdout.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _terminate(self, pids: list[int]) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, sig)
            grace = time.monotonic() + 5
            while time.monotonic() < grace:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=0.1)  # reaps vng, our child
                if not any(running(pid) for pid in pids):
                    return
        print(f"run_vm: warning: processes {pids} survived SIGKILL", file=sys.stderr)

    def __enter__(self) -> VM:
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()
