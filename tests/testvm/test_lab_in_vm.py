"""Every lab transcript replays inside a real VM with its own kernel (tools/testvm/run_vm.py).

Slow (one VM boot, about a minute under TCG): marked `vm`, so `pytest -m "not vm"` leaves it out.
Skipped with the reason where qemu or a kernel image is missing, but failed when CI=true.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import errors
from testkit.paths import REPO
from testkit.policy import skip_or_fail

pytestmark = pytest.mark.vm

DRIVER = REPO / "tools" / "testvm" / "run_vm.py"
# The driver bounds the VM run itself; this only catches a driver that fails to.
DRIVER_TIMEOUT = float(os.environ.get("LAB_VM_TIMEOUT", "1800")) + 120


def run_driver(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(DRIVER), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def vm_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    """One VM run for the whole module: its JSON report and everything it printed."""
    check = run_driver("--check", timeout=120)
    if check.returncode == errors.EXIT_MISSING:
        skip_or_fail(check.stderr.strip().replace("\n", "; "))
    report_path = tmp_path_factory.mktemp("vm") / "report.json"
    result = run_driver("--quiet", "--report", str(report_path), timeout=DRIVER_TIMEOUT)
    output = result.stdout + result.stderr
    assert report_path.is_file(), f"the VM driver wrote no report:\n{output}"
    report = json.loads(report_path.read_text())
    assert report["exit_status"] == result.returncode, output
    return report, output


def test_the_vm_booted_and_ran_to_the_end(vm_run: tuple[dict, str]) -> None:
    report, output = vm_run
    assert not report["error"], f"{report['error']}\nfix: {report['fix']}\n\n{output}"
    assert report["boot_seconds"] is not None


def test_every_lab_transcript_matches_inside_the_vm(vm_run: tuple[dict, str]) -> None:
    report, output = vm_run
    failures = [result for result in report["results"] if result["exit_status"]]
    failed = [result["transcript"] for result in failures]
    diffs = "\n\n".join(result["output"] for result in failures)
    assert not failed, (
        f"{len(failed)} transcript(s) differ inside the VM ({report['accel']}, kernel "
        f"{report['guest_kernel']}): {', '.join(failed)}\n"
        f"replay one in the VM with: tools/testvm/run_vm.py {failed[0]}\n\n{diffs}\n\n{output}"
    )


def test_the_vm_replayed_every_transcript_under_lab(vm_run: tuple[dict, str]) -> None:
    report, _ = vm_run
    on_disk = sorted(str(path.relative_to(REPO)) for path in (REPO / "lab").rglob("*.console"))
    assert on_disk, "no transcripts under lab/"
    assert [result["transcript"] for result in report["results"]] == on_disk


def test_the_guest_ran_debian_12_with_its_own_kernel_and_lab_tools(
    vm_run: tuple[dict, str],
) -> None:
    report, _ = vm_run
    assert report["guest_kernel"] == Path(report["kernel"]).name.removeprefix("vmlinuz-")
    assert report["guest_release"].startswith("12."), report["guest_release"]
    assert report["root"].startswith("lab-bookworm-"), report["root"]
    # The reader's gRPC (the lab's CRI client) is Debian 12's 1.51, which the virtualenv lacks.
    assert report["tools"].get("python3-grpcio", "").startswith("1.51."), report["tools"]
    assert report["tools"], "the guest reported no tool versions"
    missing = [name for name, version in report["tools"].items() if version == "missing"]
    assert not missing, f"lab packages missing in the guest: {missing}"
