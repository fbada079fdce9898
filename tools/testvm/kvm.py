"""KVM only where a short probe boot proves it works (QEMU+KVM crashes or hangs on some hosts);
otherwise QEMU's TCG emulator.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections import deque
from pathlib import Path

from errors import EXIT_VM_ERROR, Problem
from prerequisites import Prerequisites
from vm_process import VM
from vng_command import vng_argv, vng_env


def cpu_has_virtualization(cpuinfo: str) -> bool:
    """True when /proc/cpuinfo's flags name Intel VT-x (vmx) or AMD-V (svm)."""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags" and {"vmx", "svm"} & set(value.split()):
            return True
    return False


def probe_kvm(pre: Prerequisites, timeout: float) -> tuple[bool, str]:
    """Boot the VM once with KVM and a trivial command; KVM is usable only if that works."""
    device = Path("/dev/kvm")
    if not device.exists():
        return False, "no /dev/kvm (no hardware virtualization here)"
    if not os.access(device, os.R_OK | os.W_OK):
        return False, "/dev/kvm is not readable and writable by this user (add it to group kvm)"
    # Some hosts (nested guests, sandboxes) offer /dev/kvm on a CPU without VT-x/AMD-V: QEMU
    # then dies at its first KVM call ("failed to set MSR 0x10a") after a long probe.
    with contextlib.suppress(OSError):
        if not cpu_has_virtualization(Path("/proc/cpuinfo").read_text()):
            return False, "/proc/cpuinfo shows no vmx or svm flag (no VT-x/AMD-V for KVM)"
    token = secrets.token_hex(8)
    argv = vng_argv(pre, "kvm", ["echo", f"kvm-probe-{token}"], "256M", 1)
    tail: deque[str] = deque(maxlen=5)
    started = time.monotonic()
    with VM(argv, vng_env(pre.vng)) as vm:
        try:
            for _, line in vm.output(lambda: started + timeout):
                tail.append(line)
                if line == f"kvm-probe-{token}":
                    return True, f"KVM probe booted in {time.monotonic() - started:.1f} s"
        except TimeoutError:
            return False, f"KVM probe boot did not finish within {timeout:.0f} s (QEMU+KVM hangs)"
    errors = [line for line in tail if "error" in line.lower()]
    said = (errors or list(tail) or ["no output"])[0]
    return False, f"KVM probe boot failed: {said}"


def choose_accel(pre: Prerequisites, wanted: str, probe_timeout: float) -> tuple[str, str]:
    if wanted == "tcg":
        return "tcg", "TCG requested"
    usable, note = probe_kvm(pre, probe_timeout)
    if usable:
        return "kvm", note
    if wanted == "kvm":
        raise Problem(
            f"KVM was requested but is not usable: {note}",
            "use --accel auto or --accel tcg (slower, but needs no KVM)",
            EXIT_VM_ERROR,
        )
    return "tcg", f"{note}; falling back to TCG"
