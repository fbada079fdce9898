"""One import model: the roots are declared once (the Makefile's IMPORT_ROOTS, written into the
virtualenv as a .pth file by `make venv`), and nothing else edits sys.path but the programs that
run outside the virtualenv: the lab's entry points, which the reader's VM runs with Debian's
python3, and the scripts the tests hand to that python3.
"""

from __future__ import annotations

import re
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

from testkit.paths import REPO
from testkit.policy import skip_or_fail

SOURCE_FOLDERS = ("hooks", "lab", "snippets_grammar", "tests", "tools")
SYS_PATH_EDIT = re.compile(
    r"sys\.path\.(?:insert|append|extend)\(|sys\.path\[[^]]*\]\s*=|sys\.path\s*\+="
)
# Files that may edit sys.path, each with the reason it runs without the virtualenv's .pth.
ENTRY_POINTS = {
    "hooks/shared_grammar.py": "MkDocs loads hooks by path, from whatever Python runs mkdocs",
    "lab/cni/podnet": "a CNI plugin, started by the runtime with Debian's python3",
    "lab/cri/kubelet": "the lab's CRI client, run with Debian's python3 and python3-grpcio",
    "lab/cri/stubs.py": "imports the stubs protoc generates into a cache outside the tree",
    "lab/labrun/__main__.py": "python3 -m labrun, as lab/replay runs it",
    "lab/replay": "replays transcripts as root in the reader's VM with Debian's python3",
}
PTH_NAME = "pod-ip-blog-roots.pth"


def python_files() -> list[Path]:
    files = []
    for folder in SOURCE_FOLDERS:
        for path in (REPO / folder).rglob("*"):
            skipped = {"__pycache__", ".node"} & set(path.parts)  # bytecode, Lighthouse's npm
            if skipped or path.is_symlink() or not path.is_file():
                continue
            if path == Path(__file__).resolve():
                continue  # this file's own examples of edits
            if path.suffix == ".py" or (
                not path.suffix and b"python" in path.read_bytes().split(b"\n", 1)[0]
            ):
                files.append(path)
    return files


def sys_path_edits(files: list[Path], base: Path = REPO) -> dict[str, int]:
    """file (relative to base) -> number of sys.path edits in it."""
    edits = {}
    for path in files:
        found = len(SYS_PATH_EDIT.findall(path.read_text(encoding="utf-8", errors="replace")))
        if found:
            edits[str(path.relative_to(base))] = found
    return edits


def import_roots() -> list[str]:
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    match = re.search(r"^IMPORT_ROOTS\s*:=\s*(.+)$", makefile, re.MULTILINE)
    assert match, "Makefile: no IMPORT_ROOTS := … line"
    return match.group(1).split()


def test_only_programs_outside_the_virtualenv_edit_sys_path() -> None:
    edits = sys_path_edits(python_files())
    unexpected = sorted(set(edits) - set(ENTRY_POINTS))
    assert not unexpected, (
        f"sys.path edited in {unexpected}: add its folder to IMPORT_ROOTS in the Makefile "
        "(or move the module into one), instead of editing sys.path"
    )
    # The list stays true: an entry point that no longer edits sys.path leaves it.
    assert set(ENTRY_POINTS) <= set(edits), sorted(set(ENTRY_POINTS) - set(edits))


@pytest.mark.parametrize(
    "line",
    ["sys.path.insert(0, x)", "sys.path.append(x)", "sys.path[:0] = [x]", "sys.path += [x]"],
)
def test_the_check_sees_every_spelling_of_an_edit(tmp_path: Path, line: str) -> None:
    script = tmp_path / "script.py"
    script.write_text(f"import sys\n{line}\nprint(sys.path)\n")
    assert sys_path_edits([script], base=tmp_path) == {"script.py": 1}


def test_the_roots_are_declared_once_and_ruff_sorts_by_them() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "pythonpath" not in pyproject["tool"]["pytest"]["ini_options"]
    assert pyproject["tool"]["ruff"]["src"] == import_roots()
    for root in import_roots():
        assert (REPO / root).is_dir(), root


def test_the_virtualenv_holds_the_declared_roots() -> None:
    if sys.prefix == sys.base_prefix:
        skip_or_fail("not running in the virtualenv that `make venv` makes")
    pth = Path(sysconfig.get_path("purelib")) / PTH_NAME
    assert pth.is_file(), f"{pth} is missing: run `make venv`"
    listed = pth.read_text(encoding="utf-8").split()
    assert listed == [str((REPO / root).resolve()) for root in import_roots()]
