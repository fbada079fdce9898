"""Print the test VM's boot and run times next to the sandbox run of the same transcripts.

A script, not a test: it prints figures and exits 1 only when a run fails.

Sandbox: `lab/replay TRANSCRIPT` on the host, once per transcript (the wall time each takes,
one fresh sandbox each), then the sum. VM: tools/testvm/run_vm.py with `--accel tcg` and, where a
probe boot shows KVM works, `--accel kvm`; "boot" is the time from starting the VM to its first
command, "run" the whole VM run (boot, replays, shutdown), and each transcript's time is the
guest's `lab/replay TRANSCRIPT` as seen from the host. With --runs N every figure is the median.

The reference for the VM's own design: the same TCG run with the root file system shared as a
folder over 9p (`run_vm.py --share-root`), as before the VM booted from a disk image; the last
line prints the ratio of the two whole runs, measured in the same bench run.

Usage, from the repository root: .venv/bin/python tools/bench/bench_vm.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.paths import REPO

DRIVER = REPO / "tools" / "testvm" / "run_vm.py"
REPLAY = REPO / "lab" / "replay"
RUN_TIMEOUT_S = 1200


def transcripts() -> list[str]:
    return sorted(str(path.relative_to(REPO)) for path in (REPO / "lab").rglob("*.console"))


def sandbox_times(names: list[str]) -> dict[str, float]:
    times: dict[str, float] = {}
    for name in names:
        started = time.monotonic()
        result = subprocess.run(
            [str(REPLAY), name],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            timeout=RUN_TIMEOUT_S,
        )
        times[name] = time.monotonic() - started
        if result.returncode != 0:
            sys.exit(f"bench_vm: lab/replay {name} failed on the host:\n{result.stdout}")
    return times


def vm_run(accel: str, *extra: str) -> dict | None:
    """One VM run's report; None when the accelerator is not usable here (printed why)."""
    with tempfile.TemporaryDirectory() as scratch:
        report_path = Path(scratch) / "report.json"
        result = subprocess.run(
            [
                sys.executable,
                str(DRIVER),
                "--accel",
                accel,
                "--quiet",
                "--report",
                str(report_path),
                *extra,
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            timeout=RUN_TIMEOUT_S,
        )
        report = json.loads(report_path.read_text()) if report_path.is_file() else {}
    if accel == "kvm" and "KVM was requested but is not usable" in report.get("error", ""):
        print(f"  {accel.upper()}: not usable here: {report['error']}")
        return None
    if result.returncode != 0:
        sys.exit(f"bench_vm: the {accel} VM run failed:\n{result.stdout}{result.stderr}")
    return report


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs of each (default 1)")
    args = parser.parse_args()
    names = transcripts()
    print(f"bench_vm: {len(names)} transcripts, {args.runs} run(s) each, {platform.node()}")

    sandbox = [sandbox_times(names) for _ in range(args.runs)]
    columns: dict[str, dict[str, float]] = {
        "sandbox": {name: median([run[name] for run in sandbox]) for name in names}
    }
    columns["sandbox"]["total"] = median([sum(run.values()) for run in sandbox])
    kernels: dict[str, str] = {}
    variants = {
        "VM TCG": ("tcg",),
        "TCG 9p root": ("tcg", "--share-root"),
        "VM KVM": ("kvm",),
    }
    for title, (accel, *extra) in variants.items():
        reports = []
        for _ in range(args.runs):
            report = vm_run(accel, *extra)
            if report is None:
                break
            reports.append(report)
        if not reports:
            continue
        kernels[accel] = reports[0]["guest_kernel"]
        column = {"boot": median([report["boot_seconds"] for report in reports])}
        column["total"] = median([report["total_seconds"] for report in reports])
        for name in names:
            column[name] = median(
                [
                    next(r["seconds"] for r in report["results"] if r["transcript"] == name)
                    for report in reports
                ]
            )
        columns[title] = column

    host_kernel = platform.release()
    vm_kernels = ", ".join(f"{accel.upper()} {kernel}" for accel, kernel in kernels.items())
    print(f"  host kernel {host_kernel} (sandbox); guest kernel {vm_kernels}")
    rows = [("boot to first command", "boot"), *((name, name) for name in names)]
    rows.append(("whole run (wall)", "total"))
    width = max(len(label) for label, _ in rows)
    print(f"  {'seconds':<{width}}" + "".join(f"{title:>12}" for title in columns))
    for label, key in rows:
        cells = "".join(
            f"{column[key]:>12.2f}" if key in column else f"{'-':>12}"
            for column in columns.values()
        )
        print(f"  {label:<{width}}{cells}")
    disk, shared = columns["VM TCG"]["total"], columns["TCG 9p root"]["total"]
    print(
        f"  whole TCG run, root from its disk image: {disk:.1f} s; shared over 9p: {shared:.1f} s "
        f"({shared / disk:.2f}x the disk image's time)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
