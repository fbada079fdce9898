"""The sandbox's own cgroup subtree, so the containers a transcript starts leave no cgroup behind.

runc puts every container it starts into cgroups, and cgroups live in the kernel's one tree
per hierarchy: a mount namespace cannot hide them, and the kernel never removes an empty
cgroup by itself. So, when the runner is root, it makes a `labrun-<token>` cgroup in every
hierarchy (cgroup v1: one per controller, under the runner's own cgroup; v2: one tree, under
its root), starts the sandbox in it with a new cgroup namespace, and the sandbox mounts the
cgroup trees afresh: to it, that cgroup is /sys/fs/cgroup's root, and whatever runc creates
lands under it.

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
    """Where the sandbox's cgroup goes in every mounted hierarchy under /sys/fs/cgroup: this
    process's cgroup on v1 (so it stays in whatever limits the runner has), the root on v2."""
    with open("/proc/self/cgroup", encoding="utf-8") as membership:
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            return placements(membership.read(), mounts.read())


def placements(membership_text: str, mounts_text: str) -> list[Path]:
    """own_cgroups() from the text of /proc/self/cgroup and /proc/self/mounts."""
    membership: dict[str, str] = {}  # controllers ("" for v2) -> path
    for line in membership_text.splitlines():
        _, controllers, member_path = line.split(":", 2)
        membership[controllers] = member_path
    visible: dict[str, tuple[str, str]] = {}  # mount point -> (type, options), in mount order
    for line in mounts_text.splitlines():
        _, mount_point, fs_type, options, *_ = line.split()
        # A later mount on or above a path hides what was mounted there before.
        hidden = [p for p in visible if p == mount_point or p.startswith(mount_point + "/")]
        for earlier in hidden:
            del visible[earlier]
        visible[mount_point] = (fs_type, options)
    found = []
    for mount_point, (fs_type, options) in visible.items():
        if not mount_point.startswith(CGROUP_ROOT):
            continue
        path: str | None
        if fs_type == "cgroup2":
            # v2 hands a child only the controllers its parent enabled, and a non-root cgroup
            # holding processes (the runner's) may enable none: pods need cpu, memory, pids.
            # The root may always, so on v2 the sandbox's subtree hangs from the root.
            path = "/" if "" in membership else None
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
            if (parent / "cgroup.subtree_control").exists():
                _hand_down_controllers(parent)
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


def _hand_down_controllers(root: Path) -> None:
    """v2 root: enable every available controller for children. systemd has already done so
    where it runs; a bare init (the test VM's) has not. Only children can use more as a result."""
    enabled = set((root / "cgroup.subtree_control").read_text().split())
    for controller in (root / "cgroup.controllers").read_text().split():
        if controller not in enabled:
            try:
                (root / "cgroup.subtree_control").write_text(f"+{controller}")
            except OSError:
                pass  # not this one (a threaded or busy controller): runc will say what it misses


def leave_root(directories: list[Path]) -> None:
    """v2: move the sandbox's processes from its cgroup into a child, `init`.

    A v2 cgroup holding processes cannot enable controllers for its children, and the
    sandbox's cgroup is the root runc sees: runc must be able to enable them there. The
    runner does the move from outside, since `unshare` itself (outside the sandbox's PID
    namespace) stays in that cgroup too. v1 has no such rule.
    """
    for directory in directories:
        if not (directory / "cgroup.controllers").exists():
            continue
        (directory / "init").mkdir()
        for pid in (directory / "cgroup.procs").read_text().split():
            try:
                (directory / "init" / "cgroup.procs").write_text(pid)
            except ProcessLookupError:
                pass  # it has exited meanwhile


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
