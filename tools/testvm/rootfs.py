#!/usr/bin/python3
"""Debian 12 root file systems made from Debian's archive: one builder, two uses.

- `lab`: what the reader's VM has after `vagrant up`: Debian 12, provisioned by the same
  lab/provision.sh with lab/packages.txt, plus Debian's kernel (tools/testvm/guest-packages.txt).
  The test VM boots it, so nothing installed on the host by hand can make the VM tests pass.
  Built once and cached (in /var/cache/pod-ip-blog, or $LAB_ROOTFS_CACHE), under a name made
  from the hash of everything that shapes it: a changed package list or script rebuilds it.
  Kept twice: as a tree (the VM's kernel and modules are read from it) and as an ext4 disk
  image of that tree, which the VM boots from (see image_path).
- `bare`: the machine CI runs `make test` on, for the clean-room run (tools/cleanroom/run.sh):
  Debian 12 *minbase* (Debian's required packages only, what the `debian:12` container image
  holds) plus the packages the test workflow installs before `make test`, read from that
  workflow (see bare_prerequisites), so the clean room cannot prove a richer machine than CI's.

Building needs root (debootstrap); using the cached `lab` file system does not.

Usage:
  rootfs.py lab            build the lab file system if needed; print its path
  rootfs.py lab --path     print its path; exit 1 (and say how to build it) if it is not built
  rootfs.py bare TARGET    build a bare Debian 12 in TARGET (which must not exist)
  rootfs.py bare --list    print the packages the bare machine gets besides minbase
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
IN_ROOTFS = REPO / "tools" / "testvm" / "in_rootfs.sh"
PROVISION = REPO / "lab" / "provision.sh"
LAB_LISTS = [REPO / "lab" / "packages.txt", REPO / "tools" / "testvm" / "guest-packages.txt"]

SUITE = "bookworm"  # Debian 12: the release of the reader's box and of the CI machine
# The workflow that runs `make test` on the bare machine; its install step names, in one env
# line, the only packages added to the container image before `make test`.
TEST_WORKFLOW = REPO / ".github" / "workflows" / "test.yml"
PREREQUISITES_LINE = re.compile(r"^\s+PREREQUISITES:\s*(?P<packages>[a-z0-9][a-z0-9 .+-]*)$", re.M)
MIRROR = os.environ.get("LAB_DEBIAN_MIRROR", "http://deb.debian.org/debian")
SECURITY_MIRROR = os.environ.get("LAB_DEBIAN_SECURITY", "http://deb.debian.org/debian-security")
CACHE = Path(os.environ.get("LAB_ROOTFS_CACHE", "/var/cache/pod-ip-blog"))
# Part of the cache's name with the hashed files (in_rootfs.sh, provision.sh, the lists):
# bump it when the recipe in this file changes.
RECIPE = "2"


class BuildError(Exception):
    pass


def bare_prerequisites(workflow: Path = TEST_WORKFLOW) -> list[str]:
    """The packages CI adds to a bare Debian 12 before `make test`, as its workflow names them.

    Read with a pattern, not a YAML parser: this runs with the system's python3 before any
    virtualenv exists. tests/workflows checks the pattern against the parsed workflow."""
    found = PREREQUISITES_LINE.findall(workflow.read_text(encoding="utf-8"))
    if len(found) != 1:
        raise BuildError(
            f"{workflow}: expected one 'PREREQUISITES: <packages>' line in the install step, "
            f"found {len(found)}"
        )
    return found[0].split()


def lab_fingerprint() -> str:
    """What shapes the file system: the scripts, and the packages the lists name (their
    comments do not count, so rewording one does not rebuild)."""
    digest = hashlib.sha256(f"{RECIPE} {SUITE} {MIRROR}".encode())
    for path in [IN_ROOTFS, PROVISION]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    listed = subprocess.run(
        [str(PROVISION), "--list", *map(str, LAB_LISTS)],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    digest.update(" ".join(sorted(listed.stdout.split())).encode())
    return digest.hexdigest()[:16]


def lab_path() -> Path:
    return CACHE / f"lab-{SUITE}-{lab_fingerprint()}"


def image_path(tree: Path) -> Path:
    """The tree as an ext4 disk image beside it: the test VM's root disk.

    Why not share the tree itself, as virtme-ng does by default: over 9p (Debian 12 has no
    virtiofsd that virtme-ng accepts) the guest keeps no file data in its page cache, so every
    process reads its binaries and shared libraries from the host again, which under TCG costs
    seconds per `import grpc` or Go binary. From a block device, the guest caches them as a
    real machine does."""
    return tree.with_name(tree.name + ".ext4")


def is_built(tree: Path) -> bool:
    return tree.is_dir() and image_path(tree).is_file()


def run(argv: list[str], what: str) -> None:
    print(f"rootfs: {what}", flush=True)
    done = subprocess.run(argv, check=False)
    if done.returncode != 0:
        raise BuildError(f"{what} failed (exit {done.returncode}): {' '.join(argv)}")


def debootstrap(target: Path, include: list[str], arch: str | None = None) -> None:
    """Variant minbase: Debian's required packages only, as in the `debian:12` image. Not
    debootstrap's default, which adds priority important (kmod among them): a machine built
    that way hides a missing declaration that CI's machine shows. `arch`: another
    architecture than the host's (the browser lab's i386 guest, tools/browserlab/root.py)."""
    if shutil.which("debootstrap") is None:
        raise BuildError(
            "debootstrap is not installed (sudo lab/provision.sh tools/testvm/packages.txt)"
        )
    argv = ["debootstrap", "--variant=minbase"]
    if arch:
        argv.append(f"--arch={arch}")
    if include:
        argv.append(f"--include={','.join(include)}")
    run([*argv, SUITE, str(target), MIRROR], f"debootstrap {SUITE} into {target}")
    # The same suites a Debian 12 installation follows: point releases and security updates.
    (target / "etc" / "apt" / "sources.list").write_text(
        f"deb {MIRROR} {SUITE} main\n"
        f"deb {MIRROR} {SUITE}-updates main\n"
        f"deb {SECURITY_MIRROR} {SUITE}-security main\n"
    )
    # Packages installed inside must not start services (there is no init to own them).
    policy = target / "usr" / "sbin" / "policy-rc.d"
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)


def provision_lab(target: Path) -> None:
    """Run lab/provision.sh inside, exactly as the reader's VM runs it."""
    staging = target / "root" / "provision"
    staging.mkdir(parents=True)
    shutil.copy2(PROVISION, staging / "provision.sh")
    lists = []
    for path in LAB_LISTS:
        shutil.copy2(path, staging / path.name)
        lists.append(f"/root/provision/{path.name}")
    run(
        [str(IN_ROOTFS), str(target), "/root/provision/provision.sh", *lists],
        "provisioning with lab/provision.sh",
    )
    run([str(IN_ROOTFS), str(target), "apt-get", "clean"], "apt-get clean")
    shutil.rmtree(staging)
    # Debian installs the kernel image 0600; the VM is started by ordinary users too.
    for image in (target / "boot").glob("vmlinuz-*"):
        image.chmod(0o644)


def remove(path: Path) -> None:
    """Remove a file system tree built here. A build stopped midway can leave its own mounts in
    it (debootstrap's /proc, when it was killed before unmounting): they are detached first,
    the deepest first; the removal itself never crosses into another mount."""
    if not path.exists():
        return
    for point in sorted(mounts_under(path), key=len, reverse=True):
        subprocess.run(["umount", "--lazy", point], check=False, timeout=60)
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], check=False)


def mounts_under(path: Path) -> list[str]:
    """The mount points at or under ``path``, as this process's mount namespace sees them."""
    root = str(path.resolve())
    points = []
    for line in Path("/proc/self/mounts").read_text(encoding="utf-8").splitlines():
        point = line.split()[1].replace("\\040", " ")  # /proc/mounts escapes blanks
        if point == root or point.startswith(root + "/"):
            points.append(point)
    return points


def make_image(tree: Path, image: Path) -> None:
    """mkfs.ext4 -d copies the tree, owners and modes included, into a new file system: no
    mount, no loop device. Sparse, with room to spare; no journal (the VM mounts it read-only).
    Written beside, then renamed: never half made."""
    partial = image.with_name(image.name + ".partial")
    partial.unlink(missing_ok=True)
    du = subprocess.run(
        ["du", "--summarize", "--one-file-system", "--block-size=1", str(tree)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if du.returncode != 0:
        raise BuildError(f"cannot measure {tree}: {du.stderr.strip()}")
    used = int(du.stdout.split()[0])
    try:
        with partial.open("wb") as disk:
            disk.truncate(used + used // 4 + (256 << 20))
        mkfs = ["mkfs.ext4", "-q", "-F", "-O", "^has_journal", "-L", "lab-root", "-d", str(tree)]
        run([*mkfs, str(partial)], f"making the disk image {image.name}")
        partial.chmod(0o644)  # the VM is started by ordinary users too
        partial.rename(image)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def build_lab() -> Path:
    final = lab_path()
    if is_built(final):
        return final
    if os.geteuid() != 0:
        raise BuildError(
            f"the VM's Debian 12 root file system is not built yet ({final}); "
            "build it once as root: sudo make vm-rootfs"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    # One build at a time: two checkouts' `make test` share the cache, and a second build would
    # delete the first one's half-made tree (and the first would then delete the older cache
    # a running VM boots from). The second waits, then finds the file system built.
    with (CACHE / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_built(final):
            return final
        if final.is_dir():  # a tree cached before the VM booted from a disk image
            make_image(final, image_path(final))
            return final
        return _build_locked(final)


def _build_locked(final: Path) -> Path:
    partial = final.with_name(final.name + ".partial")
    remove(partial)
    started = time.monotonic()
    try:
        debootstrap(partial, [])
        provision_lab(partial)
        (partial / "vagrant").mkdir()  # where the VM mounts the checkout, as Vagrant does
        (partial / "etc" / "lab-rootfs").write_text(f"{final.name}\n")
        make_image(partial, image_path(final))
    except BaseException:
        remove(partial)  # nothing half done stays behind
        image_path(final).unlink(missing_ok=True)
        raise
    partial.rename(final)
    for old in CACHE.glob(f"lab-{SUITE}-*"):
        if old not in (final, image_path(final)):
            remove(old)
    print(f"rootfs: built {final} in {time.monotonic() - started:.0f} s", flush=True)
    return final


def build_bare(target: Path) -> None:
    if target.exists():
        raise BuildError(f"{target} already exists")
    try:
        debootstrap(target, bare_prerequisites())
    except BaseException:
        remove(target)
        raise


def main(argv: list[str] | None = None) -> int:
    # A SIGTERM (a timeout, a killed `make`) becomes SystemExit, so the cleanup of a half-built
    # tree or image runs as it does for an error; Python's default would skip it.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["lab", "bare"])
    parser.add_argument("target", nargs="?", type=Path, help="bare: the folder to create")
    parser.add_argument("--path", action="store_true", help="lab: only print the path")
    parser.add_argument(
        "--list", action="store_true", help="bare: only print the packages added to minbase"
    )
    args = parser.parse_args(argv)
    try:
        if args.kind == "bare" and args.list:
            print(" ".join(bare_prerequisites()))
        elif args.kind == "bare":
            if args.target is None:
                parser.error("bare needs a TARGET folder")
            build_bare(args.target)
            print(args.target)
        elif args.path:
            if not is_built(lab_path()):
                raise BuildError(f"not built: {lab_path()} (build it: sudo make vm-rootfs)")
            print(lab_path())
        else:
            print(build_lab())
    except BuildError as error:
        print(f"rootfs: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
