"""The browser lab's guest root file system: Debian 12 i386 from Debian's archive.

Made like the test VM's (tools/testvm/rootfs.py, whose debootstrap and in-root runner this
reuses): debootstrap --variant=minbase, then lab/provision.sh with tools/browserlab/packages.txt
inside the new root. Also fetched there, with the root's own apt (so it is the i386 archive's,
at the root's point release): Debian's i386 kernel package, which stays out of the root (the
kernel and the modules the lab needs are taken from it by kernel.py).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import rootfs

HERE = Path(__file__).resolve().parent
PACKAGES = HERE / "packages.txt"
GUEST_INIT = HERE / "guest-init.sh"
ARCH = "i386"
# Debian's kernel flavour for 32-bit PCs without PAE: v86 emulates no PAE.
KERNEL_PACKAGE = "linux-image-686"
# What a guest never reads and a reader would only download: apt's indexes and caches, manuals,
# translations. /usr/share/doc stays: it holds each package's copyright file.
PRUNED = (
    "var/lib/apt/lists",
    "var/cache/apt",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
)
VERSIONS_FORMAT = "${Package}\t${Version}\t${source:Package}\t${source:Version}\n"
# Root's interactive shells, the console's and any a reader opens (`ip netns exec pod1 bash`),
# say which network namespace they run in, and edit no line: the page's terminal sends whole
# lines to a serial console (TERM=dumb), where readline would redraw a line longer than 80
# columns scrolled sideways (`<...`) and the reader would not see the command typed; the
# console's own echo shows it whole.
BASHRC = """
# The browser lab (tools/browserlab/root.py): no line editing on its serial console.
set +o emacs
# In another network namespace (the page types `ip netns exec laptop bash` for a transcript's
# `#lab: enter laptop`), the prompt says which: (laptop) root@netns-lab:~#
lab_netns=$(ip netns identify 2>/dev/null)
[ -n "$lab_netns" ] && PS1="($lab_netns) $PS1"
unset lab_netns
"""


def build(target: Path, kernel_debs: Path) -> None:
    """Debootstrap `target` (must not exist) and download the kernel package into `kernel_debs`."""
    rootfs.debootstrap(target, [], arch=ARCH)
    staging = target / "root" / "provision"
    staging.mkdir(parents=True)
    shutil.copy2(rootfs.PROVISION, staging / "provision.sh")
    shutil.copy2(PACKAGES, staging / PACKAGES.name)
    in_root(target, ["/root/provision/provision.sh", f"/root/provision/{PACKAGES.name}"])
    download_kernel(target, kernel_debs)
    shutil.rmtree(staging)
    in_root(target, ["apt-get", "clean"])
    install_init(target)
    for relative in PRUNED:
        rootfs.remove(target / relative)
        (target / relative).mkdir(parents=True)


def in_root(target: Path, argv: list[str]) -> None:
    rootfs.run([str(rootfs.IN_ROOTFS), str(target), *argv], " ".join(argv))


def download_kernel(target: Path, kernel_debs: Path) -> None:
    """The kernel image package linux-image-686 depends on (the metapackage holds no kernel)."""
    # Readable by apt's download user (_apt), unlike /root.
    folder = target / "var" / "tmp" / "kernel"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)
    script = (
        "set -eu; cd /var/tmp/kernel; "
        f"image=$(apt-cache depends {KERNEL_PACKAGE} | sed -n 's/^ *Depends: *//p' "
        "| grep '^linux-image-[0-9]'); apt-get download \"$image\""
    )
    in_root(target, ["bash", "-c", script])
    debs = sorted(folder.glob("linux-image-*.deb"))
    if len(debs) != 1:
        raise rootfs.BuildError(f"expected one kernel package in {folder}, found {debs}")
    kernel_debs.mkdir(parents=True, exist_ok=True)
    shutil.move(str(debs[0]), kernel_debs / debs[0].name)
    folder.rmdir()


def install_init(target: Path) -> None:
    init = target / "sbin" / "browserlab-init"
    shutil.copy2(GUEST_INIT, init)
    init.chmod(0o755)
    with (target / "root" / ".bashrc").open("a", encoding="utf-8") as bashrc:
        bashrc.write(BASHRC)


def installed_versions(target: Path) -> str:
    """Every package in the root with its version and source (the licence page's list)."""
    listed = subprocess.run(
        [
            "dpkg-query",
            f"--admindir={target / 'var' / 'lib' / 'dpkg'}",
            "-W",
            "-f",
            VERSIONS_FORMAT,
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return "".join(sorted(listed.stdout.splitlines(keepends=True)))
