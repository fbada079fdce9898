"""lab/provision.sh: one package list (lab/packages.txt) for the reader's VM, CI and the test VM."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from testkit.paths import REPO

PROVISION = REPO / "lab" / "provision.sh"

# Every tool the article uses, by the package that brings it.
ARTICLE_PACKAGES = {
    "iproute2",
    "iputils-ping",
    "net-tools",
    "iptables",
    "tcpdump",
    "curl",
    "python3",
    "python3-grpcio",
    "containernetworking-plugins",
}


def fake_bin(tmp_path: Path, *, installed: bool, uid: int = 0) -> Path:
    """A PATH directory whose apt-get logs its arguments and whose dpkg-query answers as told."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    scripts = {
        "apt-get": f'echo "apt-get $*" >> {tmp_path / "apt.log"}',
        "dpkg-query": "printf 'ii '" if installed else "exit 1",
        "id": f"echo {uid}",
    }
    for name, body in scripts.items():
        script = bin_dir / name
        script.write_text(f"#!/bin/sh\n{body}\n")
        script.chmod(0o755)
    return bin_dir


def provision(*args: str, path: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if path is not None:
        env["PATH"] = f"{path}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["bash", str(PROVISION), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env=env,
    )


def listed(*lists: str) -> list[str]:
    result = provision("--list", *lists)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_package_list_holds_every_tool_the_article_uses() -> None:
    assert ARTICLE_PACKAGES <= set(listed())


def test_the_list_ignores_comments_and_blank_lines(tmp_path: Path) -> None:
    packages = tmp_path / "packages.txt"
    packages.write_text("# a comment\n\niproute2   # ip\n  curl\n")
    assert listed(str(packages)) == ["iproute2", "curl"]


def test_the_test_vm_host_list_adds_qemu_busybox_and_debootstrap_to_the_lab_list() -> None:
    both = listed("lab/packages.txt", "tools/testvm/packages.txt")
    assert both[: len(listed())] == listed()
    assert {"qemu-system-x86", "busybox-static", "debootstrap", "vagrant"} <= set(both)


def test_the_guest_gets_debians_kernel_from_its_own_list() -> None:
    assert listed("tools/testvm/guest-packages.txt") == ["linux-image-amd64"]


def test_provision_installs_exactly_the_listed_packages_with_apt(tmp_path: Path) -> None:
    result = provision(path=fake_bin(tmp_path, installed=False))
    assert result.returncode == 0, result.stdout + result.stderr
    update, install = (tmp_path / "apt.log").read_text().splitlines()
    assert update == "apt-get update -q"
    assert install.split() == [
        "apt-get",
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        *listed(),
    ]


def test_provision_touches_nothing_when_every_package_is_installed(tmp_path: Path) -> None:
    result = provision(path=fake_bin(tmp_path, installed=True))
    assert result.returncode == 0, result.stderr
    assert f"all {len(listed())} packages are installed" in result.stdout
    assert not (tmp_path / "apt.log").exists()


def test_check_names_the_missing_packages_and_the_command_that_installs_them(
    tmp_path: Path,
) -> None:
    result = provision("--check", path=fake_bin(tmp_path, installed=False))
    assert result.returncode == 1
    assert f"missing packages: {' '.join(listed())}" in result.stdout
    assert "install them with: sudo" in result.stdout
    assert not (tmp_path / "apt.log").exists()


def test_provision_as_a_user_says_it_needs_root_and_installs_nothing(tmp_path: Path) -> None:
    result = provision(path=fake_bin(tmp_path, installed=False, uid=1000))
    assert result.returncode == 1
    assert "needs root: sudo" in result.stderr
    assert not (tmp_path / "apt.log").exists()


def test_an_unreadable_list_is_bad_input(tmp_path: Path) -> None:
    result = provision("--list", str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert "cannot read package list" in result.stderr


def test_a_package_another_installed_package_provides_counts_as_installed(tmp_path: Path) -> None:
    """NodeSource's nodejs Provides (and Conflicts with) npm: installing npm would fight it."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "dpkg-query").write_text(
        "#!/bin/sh\n"
        'case "$*" in\n'
        "  *Provides*) printf 'ii |nodejs-doc, npm (= 10.8.2)\\nii |\\n' ;;\n"
        "  *) exit 1 ;;\n"
        "esac\n"
    )
    (bin_dir / "dpkg-query").chmod(0o755)
    packages = tmp_path / "packages.txt"
    packages.write_text("npm\nnodejs-dev\n")
    result = provision("--check", str(packages), path=bin_dir)
    assert result.returncode == 1
    assert "provision.sh: missing packages: nodejs-dev\n" in result.stdout
