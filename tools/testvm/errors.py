"""How a VM run ends: its exit codes, and the exceptions that stop it early.

Exit status: 0 every transcript matched, 1 a transcript did not match, 2 bad input (no such
transcript, no lab/replay), 3 the VM failed (did not boot, crashed, timed out),
4 a prerequisite is missing (qemu, busybox, virtme-ng, the root file system).
"""

from __future__ import annotations

EXIT_OK, EXIT_MISMATCH, EXIT_BAD_INPUT, EXIT_VM_ERROR, EXIT_MISSING = 0, 1, 2, 3, 4


class Terminated(Exception):
    """SIGTERM arrived (make or CI stopping us): unwind so the VM's processes get killed."""


class Problem(Exception):
    """Something that stops the VM run, with what to do about it."""

    def __init__(self, why: str, fix: str, code: int) -> None:
        super().__init__(why)
        self.why = why
        self.fix = fix
        self.code = code
