#!/usr/bin/env python3
"""Lab engine figures (a script, not a test): sandbox start+teardown, and the transcript suite.

.venv/bin/python tools/bench/bench_lab.py [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from labrun import audit, run, sandbox, transcript
from testkit.paths import LAB_DIR


def sandbox_round_trip(runs: int) -> list[float]:
    """Seconds from start to gone, for a sandbox that runs one command."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        with sandbox.Sandbox(LAB_DIR, LAB_DIR) as box:
            box.run("true", timeout=10)
        timings.append(time.perf_counter() - started)
    return timings


def suite(jobs: int) -> tuple[float, int]:
    paths = audit.transcripts(LAB_DIR)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(lambda p: run.replay(transcript.load(p), LAB_DIR), paths))
    elapsed = time.perf_counter() - started
    return elapsed, sum(1 for outcome in outcomes if outcome.ok)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    sandbox_round_trip(3)  # warm the page cache
    timings = sandbox_round_trip(args.runs)
    ms = sorted(t * 1000 for t in timings)
    print(
        f"sandbox start+teardown over {args.runs} runs: median {statistics.median(ms):.1f} ms, "
        f"p90 {ms[int(0.9 * len(ms)) - 1]:.1f} ms, min {ms[0]:.1f} ms (target < 50 ms)"
    )
    count = len(audit.transcripts(LAB_DIR))
    for jobs in (1, os.cpu_count() or 1):
        elapsed, ok = suite(jobs)
        print(f"transcript suite, {count} transcripts, {jobs} job(s): {elapsed:.2f} s, {ok} ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
