"""The sandbox's own cgroup subtree, so the containers a transcript starts leave no cgroup behind.

runc puts every container it starts into cgroups, and cgroups live in the kernel's one tree
per hierarchy: a mount namespace cannot hide them, and the kernel never removes an empty
cgroup by itself. So, when the runner is root, it makes a `labrun-<token>` child of its own
cgroup in every hierarchy (cgroup v1: one per controller; v2: one tree), starts the sandbox
in it with a new cgroup namespace, and the sandbox mounts the cgroup trees afresh: to it,
that child is /sys/fs/cgroup's root, and whatever runc creates lands under it.

A reaper removes the subtree once the sandbox is gone. It is a process of its own, in its
own session, that waits for the runner to close a pipe: it also runs when the runner was
killed (SIGKILL included), then exits. Run as a script: `python3 -I cgroups.py DIR...`.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path

CGROUP_ROOT = "/sys/fs/cgroup"
PREFIX = "labrun-"
# cpuset v1: a new cgroup starts with no CPUs and no memory nodes, and refuses processes
# (ENOSPC) until it gets its parent's.
CPUSET_KNOBS = ("cpuset.cpus", "cpuset.mems")


def own_cgroups() -> list[Path]:
    """This process's cgroup directory in every mounted hierarchy under /sys/fs/cgroup."""
    membership: dict[str, str] = {}  # controllers ("" for v2) -> path
    with open("/proc/self/cgroup", encoding="utf-8") as lines:
        for line in lines:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            membership[controllers] = path
    found = []
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            _, mount_point, fs_type, options, *_ = line.split()
            if not mount_point.startswith(CGROUP_ROOT):
                continue
            if fs_type == "cgroup2":
                path = membership.get("")
            elif fs_type == "cgroup":
                names = set(options.split(","))
                path = next(
                    (p for c, p in membership.items() if c and set(c.split(",")) <= names), None
                )
            else:
                continue
            if path is not None:
                found.append(Path(mount_point) / path.lstrip("/"))
    return found


def create(token: str) -> list[Path]:
    """A `labrun-<token>` child of this process's cgroup in every hierarchy; [] if none."""
    made: list[Path] = []
    try:
        for parent in own_cgroups():
            child = parent / f"{PREFIX}{token}"
            child.mkdir()
            made.append(child)
            for knob in CPUSET_KNOBS:
                # v1 only: on v2 an empty value means "the parent's" and may stay unset.
                value = (parent / knob).read_text() if (parent / knob).exists() else ""
                if value.strip():
                    (child / knob).write_text(value)
    except OSError:
        remove(made, timeout=0)
        raise
    return made


def join(directories: list[Path]) -> None:
    """Move the calling process into these cgroups ("0" means the writer itself)."""
    for directory in directories:
        with open(directory / "cgroup.procs", "w", encoding="ascii") as procs:
            procs.write("0")


def remove(directories: list[Path], timeout: float) -> list[Path]:
    """rmdir each subtree, deepest first, retrying while dying processes still hold one.

    Returns what could not be removed in time.
    """
    deadline = time.monotonic() + timeout
    left = [d for d in directories if d.exists()]
    while left:
        left = [d for d in left if not _remove_tree(d)]
        if not left or time.monotonic() >= deadline:
            break
        time.sleep(0.02)
    return left


def _remove_tree(top: Path) -> bool:
    """True once top and everything under it is gone."""
    for directory, _, _ in os.walk(top, topdown=False):
        try:
            os.rmdir(directory)
        except FileNotFoundError:
            continue
        except OSError as error:
            if error.errno != errno.EBUSY:  # EBUSY: a process is still in it
                raise
            return False
    return not top.exists()


def reap(directories: list[Path]) -> int:
    """Wait until stdin closes (the runner closed the sandbox, or died), then remove."""
    while sys.stdin.buffer.read(4096):
        pass
    left = remove(directories, timeout=60)
    for directory in left:
        print(f"labrun: cgroup still in use, not removed: {directory}", file=sys.stderr)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(reap([Path(arg) for arg in sys.argv[1:]]))
