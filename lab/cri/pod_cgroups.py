"""Removes a pod's cgroup once its sandbox is gone: the kubelet's job, not runc's.

runc deletes the cgroup of each container it ran, not the pod's parent cgroup that holds
them (`<parent>/pod<uid>`): the kubelet's pod cgroup manager does. Both layouts are handled:
cgroup v1 has one tree per controller (/sys/fs/cgroup/<controller>/...), v2 a single tree.
"""

from __future__ import annotations

import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")


def hierarchies() -> list[Path]:
    """The mount points of the cgroup trees: one (v2) or one per controller (v1)."""
    points = []
    with open("/proc/self/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            _, mount_point, fs_type, *_ = line.split()
            if fs_type in ("cgroup", "cgroup2") and mount_point.startswith(str(CGROUP_ROOT)):
                points.append(Path(mount_point))
    return points


def remove_pod_cgroup(path: str) -> None:
    """rmdir <tree>/<path> in every tree; a tree without it is fine (never created there).

    A cgroup that still holds a process (EBUSY) is an error, reported with its path.
    """
    for tree in hierarchies():
        try:
            os.rmdir(tree / path.lstrip("/"))
        except FileNotFoundError:
            pass
