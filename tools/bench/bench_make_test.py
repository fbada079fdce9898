"""Print how long `make test` takes on this warm clone, layer by layer, against its target.

A script, not a test: it runs the README's test command once (system packages and the virtualenv
already installed: `make bench` installs them first), prints each layer's wall time as
`make test` recorded it (tools/timed.sh) and the whole run's, and a PASS/FAIL line against five
minutes. It exits 1 when `make test` fails or the target is missed. The run's own output goes to
a log file, named at the end.

Usage, from the repository root: .venv/bin/python tools/bench/bench_make_test.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from budgets import budget  # beside this script

from testkit.paths import REPO

TARGET_S = budget("make_test", "max_s")
TIMEOUT_S = 3600


def main() -> int:
    log = Path(tempfile.mkstemp(prefix="bench-make-test-", suffix=".log")[1])
    # make test's own record of its layers (tools/timed.sh), kept beside the log.
    layer_times = log.with_suffix(".tsv")
    print(f"bench_make_test: make test in {REPO} ({os.cpu_count()} CPUs); output in {log}")
    started = time.monotonic()
    with log.open("w") as output:
        done = subprocess.run(
            ["make", "--no-print-directory", "test", f"LAYER_TIMES={layer_times}"],
            cwd=REPO,
            stdout=output,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=TIMEOUT_S,
        )
    wall = time.monotonic() - started
    print("  layer (as make test recorded it)                     wall time")
    for line in layer_times.read_text().splitlines():
        seconds, status, name = line.split("\t", 2)
        verdict = "" if status == "0" else f"  FAILED (exit {status})"
        print(f"  {name:<52} {float(seconds):7.1f} s{verdict}")
    print(f"  {'whole run':<52} {wall:7.1f} s")
    passed = done.returncode == 0 and wall <= TARGET_S
    print(
        f"  {'PASS' if passed else 'FAIL'}  make test {wall:.1f} s <= {TARGET_S:.0f} s"
        f"{'' if done.returncode == 0 else f' (make test failed, exit {done.returncode})'}"
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
