"""What /proc/<pid>/stat says about a process: its state and its parent.

lab/labrun/sandbox.py and tools/testvm/run_vm.py read the same file with their own few lines: they
are programs of their own (the runner readers use in the VM, the VM driver run as a script),
importable without the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")


@dataclass(frozen=True)
class ProcessStat:
    pid: int
    state: str  # "R", "S", "Z" (zombie: exited, not yet reaped)...
    parent: int


def read_stat(pid: int) -> ProcessStat | None:
    """The process's stat line, parsed; None once it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name, in parentheses, may itself hold spaces and parentheses: the fields
    # that follow start after the last ')'. proc(5): state is field 3, ppid field 4.
    fields = text.rpartition(")")[2].split()
    return ProcessStat(pid, fields[0], int(fields[1]))


def all_processes() -> list[ProcessStat]:
    """Every process visible in /proc now (those that exit while it is read are left out)."""
    found = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            stat = read_stat(int(entry.name))
            if stat is not None:
                found.append(stat)
    return found


def alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    stat = read_stat(pid)
    return stat is not None and stat.state != "Z"


def descendants(root: int) -> set[int]:
    """Every process below ``root``, at any depth."""
    children: dict[int, list[int]] = {}
    for stat in all_processes():
        children.setdefault(stat.parent, []).append(stat.pid)
    found: set[int] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found
