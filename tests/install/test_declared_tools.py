"""Every program the project runs comes from a package that `make test` installs.

A fresh Debian 12 machine has only what the package lists install, with their dependencies
(Depends, Pre-Depends), plus Debian's essential and required packages. A tool that happens to be
on the developer's machine, but in no list, passes every other test there and fails for the
first new user; this test fails first, naming the program, the place that runs it and the
package to add.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from errors import EXIT_MISSING
from testkit.debian import (
    declared_packages,
    installed_with,
    on_every_debian_system,
    owner,
    package_lists,
)
from testkit.policy import require_tool, skip_or_fail
from tool_inventory import BASH_BUILTINS, REPO, SYSTEM_PATH, Use, all_uses
from traced_programs import traced_uses

VENV_BIN = REPO / ".venv" / "bin"

# Programs the project runs only where they exist, each guarded in its source.
GUARDED = {
    "systemctl": "lab/provision.sh disables containerd's service only where systemd is installed",
}


def not_a_system_program(name: str) -> bool:
    """Builtins, variables, the Makefile's virtualenv tools, guarded programs, and files of
    the project (lab/replay, ./x, tools/testvm/run_vm.py)."""
    return (
        name in BASH_BUILTINS
        or "$" in name
        or name == "venvtool"
        or name in GUARDED
        or (not name.startswith("/") and "/" in name)
    )


def classify(name: str) -> str | Path | None:
    """None for words that are not system programs; else the program's path, or a problem."""
    if not_a_system_program(name):
        return None
    if name.startswith("/"):
        path = Path(name)
        if REPO in path.parents:
            return None
        return path if path.exists() else f"{name} does not exist on this machine"
    found = shutil.which(name, path=SYSTEM_PATH)
    if found:
        return Path(found)
    if (VENV_BIN / name).exists():
        return None  # a Python tool, pinned in requirements.txt
    return f"'{name}' is not installed on this machine, so no package list installs it"


def undeclared(uses: list[Use], declared: set[str]) -> list[str]:
    """One line per program whose package `make test` would not install."""
    places: dict[str, list[str]] = defaultdict(list)
    for use in uses:
        places[use.command].append(use.where)
    lists = ", ".join(str(path.relative_to(REPO)) for path in package_lists())
    problems = []
    for name, where in sorted(places.items()):
        verdict = classify(name)
        if verdict is None:
            continue
        shown_at = ", ".join(sorted(set(where))[:3]) + (" …" if len(set(where)) > 3 else "")
        if isinstance(verdict, str):
            problems.append(f"{verdict} (used at {shown_at})")
            continue
        package = owner(str(verdict))
        if package is None:
            problems.append(
                f"'{name}' ({verdict}) belongs to no Debian package (used at {shown_at})"
            )
        elif package not in declared and not on_every_debian_system(package):
            problems.append(
                f"'{name}' comes from the Debian package '{package}', which is in none of "
                f"{lists}: add it (used at {shown_at})"
            )
    return problems


# Every test here resolves programs to packages through dpkg's whole database.
pytestmark = pytest.mark.programs


@pytest.fixture(scope="module")
def uses() -> list[Use]:
    return all_uses()


def test_every_program_the_project_runs_is_declared(uses: list[Use]) -> None:
    problems = undeclared(uses, installed_with(declared_packages()))
    assert not problems, "\n".join(problems)


def test_the_inventory_sees_the_commands_it_must(uses: list[Use]) -> None:
    """Guards the collector itself: each kind of source yields what it holds."""
    found = {(use.command, use.where.split(":")[0]) for use in uses}
    expected = {
        # a transcript's plain command, a command inside `ip netns exec`, a CNI plugin by path
        ("ip", "lab/genesis-of-pod-ip-addresses/02-netns.console"),
        ("ping", "lab/genesis-of-pod-ip-addresses/04-bridge.console"),
        ("/usr/lib/cni/bridge", "lab/genesis-of-pod-ip-addresses/05-cni-reference.console"),
        # a transcript embedded in a test, and an argv helper in the same test
        ("nft", "tests/lab/test_sandbox_isolation.py"),
        # a tool looked up by name, and a program given by its absolute path
        ("vagrant", "tests/reader_vm/test_vagrantfile.py"),
        ("/usr/bin/chromium", "tests/support/testkit/browsing.py"),
        # shell scripts and the Makefile
        ("apt-get", "lab/provision.sh"),
        ("make", ".ci/run"),
    }
    assert expected <= found, f"not collected: {sorted(expected - found)}"


def test_a_missing_declaration_is_named_with_its_package(uses: list[Use]) -> None:
    """Take a declared package away: the check names its program and the package."""
    declared = installed_with(declared_packages() - {"iproute2"}) - {"iproute2"}
    problems = undeclared(uses, declared)
    assert any("'ip' comes from the Debian package 'iproute2'" in line for line in problems)


# --- what the project's tools run in turn -------------------------------------------------------

VM_DRIVER = REPO / "tools" / "testvm" / "run_vm.py"


@pytest.fixture(scope="module")
def vm_driver_uses() -> list[Use]:
    """What a VM boot looks up and runs on the host, short of QEMU itself: the VM driver's dry
    run (virtme-ng finds its tools and builds the initramfs), followed by strace."""
    require_tool("strace", "strace")
    check = subprocess.run(
        [sys.executable, str(VM_DRIVER), "--check"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if check.returncode == EXIT_MISSING:
        skip_or_fail(check.stderr.strip().replace("\n", "; "))
    return traced_uses(
        [sys.executable, str(VM_DRIVER), "--dry-run"],
        "virtme-ng, traced through tools/testvm/run_vm.py --dry-run",
        timeout=600,
    )


@pytest.mark.vm
def test_every_program_a_vm_boot_runs_is_declared(vm_driver_uses: list[Use]) -> None:
    problems = undeclared(vm_driver_uses, installed_with(declared_packages()))
    assert not problems, "\n".join(problems)


@pytest.mark.vm
def test_the_trace_sees_what_virtme_ng_looks_up_and_runs(vm_driver_uses: list[Use]) -> None:
    """Guards the tracer: lookups that succeed (modprobe, busybox) and programs run (file,
    QEMU's --version) are all there."""
    names = {Path(use.command).name for use in vm_driver_uses}
    assert {"modprobe", "file", "qemu-system-x86_64"} <= names, sorted(names)
    assert names & {"busybox", "busybox-static", "busybox.static"}, sorted(names)


@pytest.mark.vm
def test_a_missing_dependency_of_virtme_ng_is_named_with_its_package(
    vm_driver_uses: list[Use],
) -> None:
    """Take kmod off the lists: the check names modprobe, which virtme-ng needs, and kmod."""
    declared = installed_with(declared_packages() - {"kmod"}) - {"kmod"}
    problems = undeclared(vm_driver_uses, declared)
    assert any("modprobe" in line and "'kmod'" in line for line in problems), problems
