"""The browser lab's initramfs: busybox, the modules that reach the 9p root, and an /init.

Debian 12's 686 kernel has 9p and virtio as modules, so it cannot mount the root by itself.
The archive is a newc cpio (what the kernel unpacks), written by bsdcpio from
libarchive-tools: `cpio` itself is not in a minbase system.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import kernel

HERE = Path(__file__).resolve().parent
INIT = HERE / "initramfs-init.sh"


def build(root: Path, built: kernel.Kernel, output: Path) -> None:
    """Write `output` from the guest root's static busybox and the kernel's pruned modules."""
    busybox = root / "bin" / "busybox"
    if not busybox.is_file():
        raise kernel.KernelError(f"{busybox} is missing: busybox-static is not in the guest root")
    order = kernel.load_order(built.modules, kernel.read_list(kernel.BOOT_MODULES))
    with tempfile.TemporaryDirectory(prefix="browserlab-initramfs-") as staging_name:
        staging = Path(staging_name)
        (staging / "bin").mkdir()
        shutil.copy2(busybox, staging / "bin" / "busybox")
        shutil.copy2(INIT, staging / "init")
        (staging / "init").chmod(0o755)
        for path in order:
            (staging / "lib" / "modules" / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(built.modules / path, staging / "lib" / "modules" / path)
        (staging / "modules").write_text("".join(f"{path}\n" for path in order))
        members = sorted(
            str(path.relative_to(staging)) for path in staging.rglob("*") if path != staging
        )
        with output.open("wb") as archive:
            subprocess.run(
                ["bsdcpio", "-o", "--quiet", "--format", "newc", "--owner", "0:0"],
                input="\n".join(members).encode() + b"\n",
                stdout=archive,
                cwd=staging,
                check=True,
                timeout=120,
            )
