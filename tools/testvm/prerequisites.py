"""What the host must have to boot the test VM: virtme-ng, QEMU, busybox, file, and the guest's
root file system with its kernel (tools/testvm/rootfs.py builds it). Each missing piece is a
Problem that says how to get it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import rootfs
from errors import EXIT_MISSING, Problem

REPO = Path(__file__).resolve().parents[2]
ROOTFS_BUILDER = REPO / "tools" / "testvm" / "rootfs.py"
INSTALL_HINT = "sudo lab/provision.sh tools/testvm/packages.txt"
ROOTFS_HINT = "sudo make vm-rootfs"


@dataclass
class Prerequisites:
    """What the host must have to boot the test VM."""

    vng: Path
    qemu: Path
    root: Path
    kernel: Path
    kernel_release: str
    # The root file system as an ext4 disk image (rootfs.image_path), booted from when there is
    # one; without it (a --root folder made elsewhere) the guest reads the folder over 9p.
    disk: Path | None = None

    def root_label(self) -> str:
        return f"{self.root.name} ({'ext4 disk image' if self.disk else 'folder over 9p'})"


def find_vng() -> Path:
    """virtme-ng's `vng`, from this interpreter's venv first (requirements.txt pins it)."""
    candidates = [Path(sys.executable).parent / "vng", REPO / ".venv" / "bin" / "vng"]
    which = shutil.which("vng")
    if which:
        candidates.append(Path(which))
    for candidate in candidates:
        # vng runs `virtme-run` through PATH; it must sit next to vng.
        if candidate.is_file() and (candidate.parent / "virtme-run").is_file():
            return candidate
    raise Problem(
        "virtme-ng (vng) is not installed",
        "make the venv: python3 -m venv .venv && .venv/bin/pip install -r requirements.txt",
        EXIT_MISSING,
    )


def kernel_release(image: Path) -> str:
    return image.name.removeprefix("vmlinuz-")


def version_key(release: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", release)]


def find_root(explicit: str | None) -> Path:
    """The Debian 12 root file system to boot: --root, $LAB_VM_ROOTFS, or the cached build."""
    if explicit:
        root = Path(explicit).resolve()
    else:
        done = subprocess.run(  # noqa: S603 - fixed argv
            [sys.executable, str(ROOTFS_BUILDER), "lab", "--path"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if done.returncode != 0:
            raise Problem(
                "the VM's Debian 12 root file system is not built (or its package lists "
                f"changed): {done.stderr.strip()}",
                ROOTFS_HINT,
                EXIT_MISSING,
            )
        root = Path(done.stdout.strip())
    if not (root / "bin" / "sh").exists():
        raise Problem(f"{root} is not a root file system", ROOTFS_HINT, EXIT_MISSING)
    return root


def find_disk(root: Path) -> Path | None:
    """The root file system's disk image, made beside it by rootfs.py (see image_path)."""
    disk = rootfs.image_path(root)
    return disk if disk.is_file() else None


def find_kernel(root: Path, explicit: str | None) -> Path:
    """The kernel to boot: --kernel, $LAB_VM_KERNEL, or the root file system's newest
    /boot/vmlinuz-<release> with /lib/modules/<release>, which virtme-ng loads modules from."""
    if explicit:
        image = Path(explicit)
        if not image.is_file():
            raise Problem(f"kernel image {image} does not exist", ROOTFS_HINT, EXIT_MISSING)
    else:
        images = [
            image
            for image in (root / "boot").glob("vmlinuz-*")
            if (root / "lib" / "modules" / kernel_release(image)).is_dir()
        ]
        if not images:
            raise Problem(
                f"no kernel with modules in {root}/boot; the VM needs one to boot",
                f"rebuild the root file system: {ROOTFS_HINT}",
                EXIT_MISSING,
            )
        image = max(images, key=lambda path: version_key(kernel_release(path)))
    if not os.access(image, os.R_OK):
        raise Problem(
            f"kernel image {image} is not readable by this user",
            "run as root (sudo make test-vm), or make a readable copy and pass --kernel COPY",
            EXIT_MISSING,
        )
    return image


def find_prerequisites(kernel: str | None, root: str | None = None) -> Prerequisites:
    qemu = shutil.which("qemu-system-x86_64")
    if qemu is None:
        raise Problem(
            "qemu-system-x86_64 is not installed",
            f"install Debian's qemu-system-x86: {INSTALL_HINT}",
            EXIT_MISSING,
        )
    if not any(shutil.which(name) for name in ("busybox", "busybox-static", "busybox.static")):
        raise Problem(
            "no busybox: virtme-ng builds an initramfs with a static busybox to load the "
            "kernel's modules",
            f"install busybox-static: {INSTALL_HINT}",
            EXIT_MISSING,
        )
    if shutil.which("file") is None:
        raise Problem(
            "no file(1): virtme-ng runs it to check that busybox is static and to read the "
            "kernel's version",
            f"install Debian's file: {INSTALL_HINT}",
            EXIT_MISSING,
        )
    vng = find_vng()
    guest_root = find_root(root)
    image = find_kernel(guest_root, kernel)
    return Prerequisites(
        vng, Path(qemu), guest_root, image, kernel_release(image), find_disk(guest_root)
    )
