"""testkit.procfs reads a process's state and parent from /proc, whatever its command name."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator

import pytest

from testkit import procfs

# A child that starts a grandchild, renames itself with spaces and parentheses in its command
# name (as /proc/<pid>/stat shows it), and waits.
PARENT_OF_ONE = """
import ctypes, subprocess, sys, time
ctypes.CDLL(None).prctl(15, b"a) (b c", 0, 0, 0)  # PR_SET_NAME
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
print("ready", flush=True)
time.sleep(60)
"""


@pytest.fixture
def family() -> Iterator[subprocess.Popen[str]]:
    child = subprocess.Popen(
        [sys.executable, "-c", PARENT_OF_ONE], stdout=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline() == "ready\n"
    yield child
    # The whole group: the child and its grandchild (a test may have ended them already).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()


def test_a_command_name_with_parentheses_and_spaces_is_read_past(family) -> None:
    stat = procfs.read_stat(family.pid)
    assert stat is not None
    assert stat.parent == os.getpid()
    assert stat.state in {"R", "S"}


def test_descendants_reach_the_grandchild(family) -> None:
    below_us = procfs.descendants(os.getpid())
    below_child = procfs.descendants(family.pid)
    assert family.pid in below_us
    assert len(below_child) == 1
    assert below_child < below_us


def test_a_process_is_alive_until_it_is_reaped_or_a_zombie(family) -> None:
    assert procfs.alive(family.pid)
    os.killpg(family.pid, signal.SIGKILL)
    family.wait(timeout=10)
    assert not procfs.alive(family.pid)
    assert procfs.read_stat(family.pid) is None
