#!/usr/bin/python3
"""Build the browser lab's image: everything v86 needs to run the lab in a reader's browser.

One folder, /var/cache/pod-ip-blog/browserlab-<hash>/ (or $LAB_ROOTFS_CACHE), named after the
hash of everything that shapes it (the package and module lists, the scripts and builders here,
lab/provision.sh, the v86 version locked in package-lock.json), so a change to any of them
builds a new one and an unchanged tree is never built twice:

    vmlinuz, initrd.img   Debian 12's i386 kernel, and a busybox initramfs that mounts the root
    fs.json, blobs/       the root file system as v86's 9p file list and zstd blobs
    state.bin.zst         the snapshot: booted, modules loaded, caches dropped
    packages.tsv          every Debian package the image holds: name, version, source, version
    build.json            what was built from what, and the figures of the build

Building needs root (debootstrap), the host packages of tools/browserlab/host-packages.txt,
and `npm ci` at the repository's root (v86). Using the image needs none of that but Chromium.

Usage:
  image.py            build the image if needed; print its folder
  image.py --path     print its folder; exit 1 (and say how to build it) if it is not built
  image.py --folder   print the folder the current inputs name, built or not (a CI cache's key)
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import emulator
import filelist
import initramfs
import kernel
import root
import rootfs
import snapshot

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PACKAGE_LOCK = REPO / "package-lock.json"
CACHE = rootfs.CACHE
# Bump when a change here alters the image but touches none of the hashed files.
RECIPE = "1"
# What the image is made from, besides the Debian archive at build time: the builders, the
# lists and scripts they put in, the page that takes the snapshot (its v86 options shape the
# state), and the locked v86. Not replay.py or the README: changing them changes no byte here.
INPUTS = [
    *(HERE / name for name in ("image.py", "root.py", "kernel.py", "initramfs.py")),
    *(HERE / name for name in ("filelist.py", "snapshot.py", "emulator.py")),
    *(HERE / name for name in ("packages.txt", "boot-modules.txt", "lab-modules.txt")),
    HERE / "demand-modules.txt",
    *(HERE / name for name in ("guest-init.sh", "initramfs-init.sh")),
    HERE / "page" / "harness.html",
    HERE / "page" / "harness.mjs",
    rootfs.PROVISION,
    rootfs.IN_ROOTFS,
    PACKAGE_LOCK,
]
# The files a built image holds: one missing means the build did not finish.
PARTS = ("vmlinuz", "initrd.img", "fs.json", "blobs", "state.bin.zst", "packages.tsv", "build.json")


class ImageError(Exception):
    pass


def locked_v86(lock: Path = PACKAGE_LOCK) -> dict[str, str]:
    """v86's entry in an npm lock file: version and integrity (the tarball's hash)."""
    try:
        entry = json.loads(lock.read_text(encoding="utf-8"))["packages"]["node_modules/v86"]
        return {"version": str(entry["version"]), "integrity": str(entry["integrity"])}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ImageError(f"{lock}: no locked v86 ({error}); run npm ci") from None


def v86_version() -> str:
    return locked_v86()["version"]


def fingerprint() -> str:
    digest = hashlib.sha256(f"{RECIPE} {rootfs.SUITE} {rootfs.MIRROR} {root.ARCH}".encode())
    for path in INPUTS:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def image_path() -> Path:
    return CACHE / f"browserlab-{fingerprint()}"


def is_built(folder: Path) -> bool:
    return all((folder / part).exists() for part in PARTS)


def check_host() -> None:
    """Fail before any work when the host lacks a tool the build uses."""
    missing = [
        tool
        for tool in ("debootstrap", "dpkg-deb", "depmod", "bsdcpio", "zstd")
        if shutil.which(tool) is None
    ]
    problems = [f"no {tool}" for tool in missing] + emulator.missing_prerequisites()
    if problems:
        raise ImageError(
            "; ".join(problems)
            + " (install: sudo lab/provision.sh tools/browserlab/host-packages.txt; npm ci)"
        )
    # npm ci records what it installed in node_modules/.package-lock.json.
    installed = locked_v86(REPO / "node_modules" / ".package-lock.json")
    if installed != locked_v86():
        raise ImageError(
            f"node_modules has v86 {installed['version']}, package-lock.json pins "
            f"{v86_version()}: run npm ci"
        )


def build() -> Path:
    final = image_path()
    if is_built(final):
        return final
    if os.geteuid() != 0:
        raise ImageError(
            f"the browser lab's image is not built yet ({final}); "
            "build it once as root: sudo make browser-lab-image"
        )
    check_host()
    CACHE.mkdir(parents=True, exist_ok=True)
    # One build at a time: two checkouts share the cache (see rootfs.build_lab).
    with (CACHE / ".browserlab.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_built(final):
            return final
        return _build_locked(final)


def _build_locked(final: Path) -> Path:
    partial = final.with_name(final.name + ".partial")
    rootfs.remove(partial)
    partial.mkdir()
    started = time.monotonic()
    figures: dict[str, float | int | str] = {}
    try:
        work = partial / "work"
        tree = work / "root"
        root.build(tree, work / "debs")
        figures["root_seconds"] = round(time.monotonic() - started, 1)
        say("the kernel and its pruned modules")
        built = kernel.unpack(next((work / "debs").glob("linux-image-*.deb")), work / "kernel")
        kernel.install(built, tree)
        shutil.copy2(built.image, partial / "vmlinuz")
        initramfs.build(tree, built, partial / "initrd.img")
        versions = root.installed_versions(tree)
        versions += f"{built.package}\t{built.version}\tlinux\t{built.version}\n"
        (partial / "packages.tsv").write_text(versions)
        say("the 9p file list and its zstd blobs")
        files, size = filelist.write(tree, partial / "fs.json", partial / "blobs")
        figures.update(root_files=files, root_bytes=size)
        rootfs.remove(work)  # the blobs are the root now
        say("booting in v86 (headless Chromium) for the snapshot")
        taken = snapshot.take(partial, partial / "state.bin.zst")
        figures.update(
            boot_seconds=round(taken.boot_seconds, 1),
            state_bytes=taken.state_bytes,
            state_zst_bytes=taken.compressed_bytes,
            blobs_bytes=sum(blob.stat().st_size for blob in (partial / "blobs").iterdir()),
            build_seconds=round(time.monotonic() - started, 1),
        )
        (partial / "build.json").write_text(
            json.dumps(
                {
                    "name": final.name,
                    "v86": v86_version(),
                    "suite": rootfs.SUITE,
                    "arch": root.ARCH,
                    "kernel": built.release,
                    "memory_mib": emulator.MEMORY_MIB,
                    "cmdline": snapshot.CMDLINE,
                    "figures": figures,
                },
                indent=2,
            )
            + "\n"
        )
    except BaseException:
        rootfs.remove(partial)  # nothing half done stays behind
        raise
    partial.rename(final)
    for old in CACHE.glob("browserlab-*"):
        if old != final:
            rootfs.remove(old)
    print(f"browserlab: built {final} in {time.monotonic() - started:.0f} s", flush=True)
    return final


def say(step: str) -> None:
    print(f"browserlab: {step}", flush=True)


def main(argv: list[str] | None = None) -> int:
    # A SIGTERM becomes SystemExit, so a half-built image is removed as on an error.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path", action="store_true", help="only print the image's folder")
    parser.add_argument(
        "--folder",
        action="store_true",
        help="print the folder the inputs name, built or not: its name is the inputs' hash",
    )
    args = parser.parse_args(argv)
    try:
        if args.folder:
            print(image_path())
        elif args.path:
            if not is_built(image_path()):
                raise ImageError(
                    f"not built: {image_path()} (build it: sudo make browser-lab-image)"
                )
            print(image_path())
        else:
            print(build())
    except (ImageError, rootfs.BuildError, kernel.KernelError, emulator.EmulatorError) as error:
        print(f"browserlab: error: {error}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as error:
        print(f"browserlab: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
