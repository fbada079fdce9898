"""Which Debian package ships a program, and which packages the project declares.

A program is resolved on this machine (`PATH` of the lab, or its absolute path), then `dpkg -S`
names the package that owns the file. Debian 12 has merged /usr: a package may own `/bin/ip`
while PATH finds `/usr/bin/ip`, so both spellings are asked, before and after following
symlinks (`iptables` is an alternatives link to `xtables-nft-multi`).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from pathlib import Path

from testkit.paths import REPO

PROVISION = REPO / "lab" / "provision.sh"


def package_lists() -> list[Path]:
    """The lists `make test` installs, as the Makefile names them (PACKAGE_LISTS)."""
    makefile = (REPO / "Makefile").read_text()
    match = re.search(r"^PACKAGE_LISTS\s*:=\s*(.+)$", makefile, re.MULTILINE)
    assert match, "Makefile: no PACKAGE_LISTS := … line"
    return [REPO / name for name in match.group(1).split()]


def declared_packages() -> set[str]:
    """Every package in the lists, read by provision.sh itself (its comment rules apply)."""
    result = subprocess.run(
        [str(PROVISION), "--list", *map(str, package_lists())],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    return set(result.stdout.split())


def _usr_merge_spellings(path: str) -> list[str]:
    """/usr/bin/ip and /bin/ip are one file on a merged-/usr system; dpkg knows one name."""
    spellings = [path]
    for short in ("/bin/", "/sbin/", "/lib/"):
        if path.startswith("/usr" + short):
            spellings.append(path.removeprefix("/usr"))
        elif path.startswith(short):
            spellings.append("/usr" + path)
    return spellings


@functools.cache
def owner(path: str) -> str | None:
    """The package that ships the file at path (following symlinks), or None."""
    candidates = [*_usr_merge_spellings(os.path.realpath(path)), *_usr_merge_spellings(path)]
    for candidate in dict.fromkeys(candidates):
        result = subprocess.run(
            ["dpkg-query", "-S", candidate], capture_output=True, text=True, check=False
        )
        for line in result.stdout.splitlines():
            # "pkg1, pkg2: /path" (diversions print "diversion by …" lines; skip them).
            if line.startswith("diversion ") or ": " not in line:
                continue
            packages, _, owned = line.partition(": ")
            if owned == candidate:
                return packages.split(",")[0].strip().split(":")[0]
    return None


def field(package: str, format_: str) -> str:
    """dpkg-query's answer about an installed package ("" when it is not installed)."""
    result = subprocess.run(
        ["dpkg-query", "-W", f"-f={format_}", package],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout


@functools.cache
def on_every_debian_system(package: str) -> bool:
    """Essential and required packages: even `debootstrap --variant=minbase` installs them."""
    answer = field(package, "${Essential} ${Priority}")
    return answer.split()[:1] == ["yes"] or answer.endswith(" required")


def installed_with(packages: set[str]) -> set[str]:
    """The packages and everything apt installs with them (Depends and Pre-Depends, not
    Recommends: provision.sh passes --no-install-recommends), read from dpkg's database."""
    installed = _installed_depends()
    closure: set[str] = set()
    todo = list(packages)
    while todo:
        package = todo.pop()
        if package in closure:
            continue
        closure.add(package)
        for alternatives in installed.get(package, "").split(","):
            # "a (>= 1) | b": apt installs the first alternative unless another is there.
            for choice in alternatives.split("|"):
                name = choice.strip().split(" ")[0].split(":")[0]
                if name in installed:
                    todo.append(name)
                    break
    return closure


@functools.cache
def _installed_depends() -> dict[str, str]:
    """Every installed package and its Depends + Pre-Depends, in one dpkg-query."""
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Package}\t${Depends}, ${Pre-Depends}\n"],
        capture_output=True,
        text=True,
        check=True,
    )
    depends = {}
    for line in result.stdout.splitlines():
        status, package, needs = line.split("\t")
        if status.startswith("ii"):
            depends[package] = needs
    return depends
