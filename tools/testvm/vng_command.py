"""How vng is asked to boot the guest: its argv and environment."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from prerequisites import REPO, Prerequisites

# Where the guest sees the checkout: the reader's Vagrant VM shares it there too.
GUEST_REPO = "/vagrant"
# Where the guest reads the run's plan (see guest_protocol.py), shared read-only.
GUEST_PLAN_DIR = "/run/lab-vm"


def vng_env(vng: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{vng.parent}{os.pathsep}{env.get('PATH', '/usr/bin:/bin')}"
    return env


def root_argv(pre: Prerequisites) -> list[str]:
    """Boot from the disk image if there is one (why: rootfs.image_path), else share the folder.
    Folders (this one, the checkout, the plan, virtme-ng's own tools) are shared over 9p: left
    to choose, virtme-ng first tries Debian 12's virtiofsd, which it cannot use, and waits
    seconds for it, once per folder."""
    if pre.disk is not None:
        return ["--root-disk", str(pre.disk), "--root-fstype", "ext4", "--force-9p"]
    return ["--root", str(pre.root), "--force-9p"]


def vng_argv(
    pre: Prerequisites,
    accel: str,
    command: list[str],
    memory: str,
    cpus: int,
    *,
    plan: Path | None = None,
) -> list[str]:
    """vng's argv; `plan`, a folder on the host, is shared read-only at GUEST_PLAN_DIR."""
    argv = [
        str(pre.vng),
        "--run",
        str(pre.kernel),
        "--qemu",
        str(pre.qemu),
        # The reader's userland, read-only; its own /lib/modules match the kernel.
        *root_argv(pre),
        "--user",
        "root",
        "--rodir",
        f"{GUEST_REPO}={REPO}",
        *(["--rodir", f"{GUEST_PLAN_DIR}={plan}"] if plan else []),
        "--memory",
        memory,
        "--cpus",
        str(cpus),
        # No --network: virtme-ng then gives QEMU `-net none`, so the guest has only `lo`.
        "--exec",
        f"cd {GUEST_REPO} && {shlex.join(command)}",
    ]
    if accel == "tcg":
        argv.insert(1, "--disable-kvm")
    return argv
