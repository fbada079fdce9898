"""requirements.txt installs, exactly as pinned, on the system Pythons the README names.

The virtualenv is made with the machine's own /usr/bin/python3: Debian 12 ships 3.11.2, and a
pin that needs 3.11.5 (pymdown-extensions 13) fails there while passing on a newer Python that
a version manager put first on PATH. pip's resolver answers for another interpreter without
one: `--python-version` with `--only-binary=:all:` (wheels carry their Requires-Python; an
sdist would have to be built, which pip refuses for a foreign interpreter, so every pin must
have a wheel).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from testkit.paths import REPO
from testkit.policy import skip_or_fail

REQUIREMENTS = REPO / "requirements.txt"

# The interpreters a user of the README has: Debian 12's python3 (the machines the tests run
# on, and the reader's VM), and Ubuntu 24.04's.
SYSTEM_PYTHONS = {"Debian 12": "3.11.2", "Ubuntu 24.04": "3.12.3"}


def requirement_lines() -> list[str]:
    return [
        line.split("#")[0].strip()
        for line in REQUIREMENTS.read_text().splitlines()
        if line.split("#")[0].strip()
    ]


def test_every_requirement_is_pinned_exactly() -> None:
    loose = [line for line in requirement_lines() if not re.fullmatch(r"[\w.-]+==[\w.]+", line)]
    assert not loose, f"requirements.txt: not pinned with ==: {loose}"


@pytest.mark.network
@pytest.mark.parametrize(("system", "version"), SYSTEM_PYTHONS.items())
def test_the_pins_resolve_for_the_system_python(system: str, version: str, tmp_path: Path) -> None:
    argv = [
        sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
        "--disable-pip-version-check", "--python-version", version, "--only-binary=:all:",
        "--target", str(tmp_path / "target"), "-r", str(REQUIREMENTS),
    ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=300)
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    if done.returncode != 0 and any(
        "connection" in line.lower() for line in done.stderr.splitlines()
    ):
        skip_or_fail(f"PyPI is not reachable: {errors[:1]}")
    assert done.returncode == 0, f"{system}'s Python {version}: " + "\n".join(errors)
