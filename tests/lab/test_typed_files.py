"""mypy checks every Python file of the product: `files` in pyproject.toml names each one, or a
folder holding it. A new file under lab/ or hooks/ that nobody added would go unchecked."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from testkit.paths import REPO

CHECKED_TREES = ("lab", "hooks", "snippets_grammar")


def is_python(path: Path) -> bool:
    if path.suffix == ".py":
        return True
    with path.open("rb") as file:
        first = file.readline()
    return first.startswith(b"#!") and b"python" in first


def product_python_files() -> set[str]:
    tracked = subprocess.run(
        ["git", "ls-files", *CHECKED_TREES],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.split()
    return {
        name
        for name in tracked
        if not (REPO / name).is_symlink() and (REPO / name).is_file() and is_python(REPO / name)
    }


def covered(name: str, files: list[str]) -> bool:
    return any(name == entry or name.startswith(entry.rstrip("/") + "/") for entry in files)


def test_mypy_checks_every_python_file_of_the_product() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    files = config["tool"]["mypy"]["files"]
    unchecked = sorted(name for name in product_python_files() if not covered(name, files))
    assert not unchecked, f"add these to [tool.mypy] files in pyproject.toml: {unchecked}"
