"""As an ordinary user, `make test` cannot install packages: it prints the line that would.

The README promises that path; this test walks it as an unprivileged user (nobody, when the
suite runs as root) with a package list holding one package that is not installed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.paths import REPO

NOT_A_PACKAGE = "lab-test-not-installed"


def as_unprivileged_user(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop root"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--reset-env", *argv]


@pytest.fixture
def readable_dir() -> Iterator[Path]:
    """A folder the unprivileged user can read (pytest's tmp_path sits under a 0700 folder)."""
    with tempfile.TemporaryDirectory(prefix="lab-non-root-") as name:
        Path(name).chmod(0o755)
        yield Path(name)


def run_system_deps(package_list: Path) -> subprocess.CompletedProcess[str]:
    package_list.chmod(0o644)
    return subprocess.run(
        as_unprivileged_user(
            ["make", "-s", "--no-print-directory", "system-deps", f"PACKAGE_LISTS={package_list}"]
        ),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_system_deps_as_a_user_prints_the_install_line_and_stops(readable_dir: Path) -> None:
    package_list = readable_dir / "packages.txt"
    package_list.write_text(f"iproute2\n{NOT_A_PACKAGE}   # a comment\n")
    done = run_system_deps(package_list)
    assert done.returncode != 0, done.stdout
    assert done.stdout.splitlines()[:2] == [
        f"provision.sh: missing packages: {NOT_A_PACKAGE}",
        f"provision.sh: install them with: sudo lab/provision.sh {package_list}",
    ], done.stdout + done.stderr


def test_system_deps_as_a_user_passes_when_everything_is_installed(readable_dir: Path) -> None:
    package_list = readable_dir / "packages.txt"
    package_list.write_text("iproute2\nbash\n")
    done = run_system_deps(package_list)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "provision.sh: all 2 packages are installed"
