"""Print how long the test VM's Debian 12 root file system takes to build, cold and cached.

A script, not a test. The cold build goes to a throwaway cache folder (LAB_ROOTFS_CACHE), so
the real cache in /var/cache/pod-ip-blog is neither used nor touched, and is deleted afterwards.
Needs root (debootstrap) and the network to Debian's archive.

Usage, from the repository root: sudo .venv/bin/python tools/bench/bench_rootfs.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from testkit.paths import REPO

BUILDER = REPO / "tools" / "testvm" / "rootfs.py"


def timed_build(cache: Path) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        ["/usr/bin/python3", str(BUILDER), "lab"],
        env={**os.environ, "LAB_ROOTFS_CACHE": str(cache)},
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    if done.returncode != 0:
        sys.exit(f"bench_rootfs: the build failed:\n{done.stdout[-2000:]}{done.stderr}")
    return time.monotonic() - started, done.stdout.strip().splitlines()[-1]


def size(path: Path) -> str:
    done = subprocess.run(["du", "-sh", str(path)], capture_output=True, text=True, check=True)
    return done.stdout.split()[0]


def main() -> int:
    if os.geteuid() != 0:
        print("bench_rootfs: needs root (debootstrap); skipped")
        return 0
    with tempfile.TemporaryDirectory(prefix="lab-rootfs-bench-", dir="/var/tmp") as folder:
        cache = Path(folder)
        cold, path = timed_build(cache)
        cached, _ = timed_build(cache)
        print(f"VM root file system {Path(path).name} ({size(Path(path))})")
        print(f"  cold build (debootstrap + lab/provision.sh): {cold:7.1f} s")
        print(f"  cached (the next make test-vm):              {cached:7.1f} s")
        subprocess.run(["rm", "-rf", "--one-file-system", str(cache)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
