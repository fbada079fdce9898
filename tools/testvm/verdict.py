"""What a VM run found: the report (printed, and as JSON) and the verdict on it."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from errors import EXIT_MISMATCH, EXIT_OK, EXIT_VM_ERROR
from prerequisites import INSTALL_HINT, ROOTFS_HINT, kernel_release

if TYPE_CHECKING:
    from guest_protocol import Run


DEBIAN_RELEASE = "12."  # the reader's box: /etc/debian_version of Debian 12 point releases


@dataclass
class TranscriptResult:
    transcript: str
    exit_status: int
    seconds: float
    # What lab/replay printed for this transcript in the guest (its diffs, when it failed).
    output: str = ""

    @property
    def passed(self) -> bool:
        return self.exit_status == 0


@dataclass
class Report:
    """One VM run, as printed on the host and written by --report."""

    accel: str
    kernel: str
    root: str = ""
    kvm_note: str = ""
    boot_seconds: float | None = None
    total_seconds: float = 0.0
    guest_kernel: str = ""
    guest_release: str = ""
    tools: dict[str, str] = field(default_factory=dict)
    results: list[TranscriptResult] = field(default_factory=list)
    transcripts: list[str] = field(default_factory=list)
    error: str = ""
    fix: str = ""
    exit_status: int = EXIT_OK


def judge(report: Report, run: Run, status: int | None, timeout: float, boot: float) -> None:
    """Turn what the guest said into the run's verdict; a silent or partial run never passes."""
    tail = "\n".join(run.tail)
    if report.boot_seconds is None:
        report.error = (
            f"the VM did not boot within {boot:.0f} s"
            if status is None
            else f"the VM exited (status {status}) before running anything:\n{tail}"
        )
        report.fix = (
            "run `tools/testvm/run_vm.py --accel tcg` to rule out KVM; check the qemu/kernel "
            f"output above; reinstall the VM packages: {INSTALL_HINT}"
        )
        report.exit_status = EXIT_VM_ERROR
    elif status is None:
        busy = [run.current[0]] if run.current else run.replaying
        where = f" while replaying {', '.join(busy)}" if busy else ""
        report.error = f"the VM run exceeded its {timeout:.0f} s timeout{where}; QEMU was killed"
        report.fix = "raise --timeout (or LAB_VM_TIMEOUT) if the machine is just slow"
        report.exit_status = EXIT_VM_ERROR
    elif not run.finished or len(report.results) != len(report.transcripts):
        report.error = f"the VM stopped before replaying every transcript:\n{tail}"
        report.fix = "look for a kernel panic or an out-of-memory kill in the output above"
        report.exit_status = EXIT_VM_ERROR
    elif report.guest_kernel != kernel_release(Path(report.kernel)):
        report.error = f"the guest ran kernel {report.guest_kernel!r}, not {report.kernel}"
        report.fix = "this is a bug in tools/testvm/run_vm.py or virtme-ng"
        report.exit_status = EXIT_VM_ERROR
    elif not report.guest_release.startswith(DEBIAN_RELEASE):
        report.error = f"the guest runs Debian {report.guest_release!r}, not {DEBIAN_RELEASE}x"
        report.fix = f"rebuild the root file system: {ROOTFS_HINT}"
        report.exit_status = EXIT_VM_ERROR
    elif any(not result.passed for result in report.results):
        report.exit_status = EXIT_MISMATCH


def print_summary(report: Report) -> None:
    print()
    print(f"== lab transcripts in the VM ({report.accel.upper()}, kernel {report.guest_kernel})")
    print(f"   root file system: {report.root}, Debian {report.guest_release or '?'}")
    if report.kvm_note:
        print(f"   accelerator: {report.kvm_note}")
    if report.tools:
        tools = ", ".join(f"{name} {version}" for name, version in report.tools.items())
        print(f"   the guest's packages: {tools}")
    for result in report.results:
        verdict = "PASS" if result.passed else f"FAIL (lab/replay exit {result.exit_status})"
        print(f"   {verdict:<6} {result.transcript}  {result.seconds:.1f} s")
    boot = f"{report.boot_seconds:.1f} s" if report.boot_seconds is not None else "-"
    print(f"   boot to first command {boot}, whole run {report.total_seconds:.1f} s")
    if report.error:
        print(f"run_vm: error: {report.error}", file=sys.stderr)
        print(f"run_vm: fix: {report.fix}", file=sys.stderr)
    passed = sum(result.passed for result in report.results)
    print(f"{passed} passed, {len(report.transcripts) - passed} failed")


def write_report(path: Path | None, report: Report) -> None:
    if path is not None:
        data = asdict(report)
        path.write_text(json.dumps(data, indent=2) + "\n")
