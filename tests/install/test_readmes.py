"""What the READMEs name exists: every path of the repository they quote, every `make` target.

A README that names a file which moved, or a target which was renamed, sends a newcomer to
nothing; this test finds the line. Quoted words count as paths when they start with one of the
repository's top-level folders or files; placeholders (`<slug>`, `NN`) match any name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from testkit.paths import REPO

READMES = sorted(
    path
    for path in [REPO / "README.md", *REPO.glob("*/README.md"), *REPO.glob("*/*/README.md")]
    if ".venv" not in path.parts and "node_modules" not in path.parts
)
QUOTED = re.compile(r"`([^`\n]+)`")
MAKE_TARGET = re.compile(r"\bmake ([a-z][a-z-]*)\b")
# Words after `make` that are not targets: make's own options and prose.
NOT_TARGETS = {"sure"}
# Folders the build or the tests make, named by the READMEs but not in a fresh clone.
MADE_BY_RUNS = {".venv", ".cache", "site", "site-drafts", "tests/artifacts", "clean-room.log"}


def top_level_names() -> set[str]:
    return {path.name for path in REPO.iterdir() if path.name != ".git"}


def makefile_targets() -> set[str]:
    text = (REPO / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z-]*):", text, re.MULTILINE))


def quoted_paths(text: str, tops: set[str]) -> list[tuple[int, str]]:
    """(line, path) for every quoted word that names something in the repository."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for quoted in QUOTED.findall(line):
            for word in quoted.split():
                path = word.rstrip(".,:;)").split(":")[0]
                if path.split("/")[0] in tops or path.split("/")[0] in {".ci", ".github"}:
                    found.append((number, path))
    return found


def exists(path: str) -> bool:
    if path.rstrip("/") in MADE_BY_RUNS or path.split("/", maxsplit=1)[0] in MADE_BY_RUNS:
        return True
    if "<" in path or "*" in path or "NN" in path:
        pattern = re.sub(r"<[^>]+>", "*", path).replace("NN", "[0-9][0-9]").rstrip("/")
        return any(REPO.glob(pattern))
    return (REPO / path).exists()


@pytest.mark.parametrize("readme", READMES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_path_a_readme_names_exists(readme: Path) -> None:
    tops = top_level_names() | MADE_BY_RUNS
    text = readme.read_text(encoding="utf-8")
    missing = [f"line {n}: {path}" for n, path in quoted_paths(text, tops) if not exists(path)]
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("readme", READMES, ids=lambda path: str(path.relative_to(REPO)))
def test_every_make_target_a_readme_names_exists(readme: Path) -> None:
    targets = makefile_targets()
    text = readme.read_text(encoding="utf-8")
    missing = [
        f"line {number}: make {target}"
        for number, line in enumerate(text.splitlines(), 1)
        for target in MAKE_TARGET.findall(line)
        if target not in targets and target not in NOT_TARGETS
    ]
    assert not missing, "\n".join(missing)


def test_the_check_sees_a_missing_path_and_target() -> None:
    text = "Run `make nonsense`, then read `tools/no-such-file.py` and `lab/`."
    assert quoted_paths(text, top_level_names()) == [(1, "tools/no-such-file.py"), (1, "lab/")]
    assert not exists("tools/no-such-file.py") and exists("lab/")
    assert MAKE_TARGET.findall(text) == ["nonsense"] and "nonsense" not in makefile_targets()
