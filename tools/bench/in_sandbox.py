"""Re-runs a benchmark script inside one lab sandbox, for the benchmarks that build networks.

bench_cni.py and bench_runtime.py create bridges, veths, namespaces and firewall rules: run
as `script.py [options]`, each calls `rerun` to start itself again with `--inside` in a fresh
sandbox (its own network and mount namespaces), so nothing it builds reaches the host.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from labrun import sandbox
from testkit.paths import LAB_DIR


def rerun(python: str, script: str, options: list[str], timeout: float) -> int:
    """`python script --inside OPTIONS` in a sandbox: prints its output, returns its status."""
    command = shlex.join([python, str(Path(script).resolve()), "--inside", *options])
    with sandbox.Sandbox(LAB_DIR, LAB_DIR) as box:
        result = box.run(command, timeout=timeout)
    print(result.output, end="")
    return result.status
