"""A Python file the article shows must really run in some transcript, not only be named."""

from __future__ import annotations

from pathlib import Path

import pytest

from labrun import executed

PROGRAM = "#!/usr/bin/python3 -IS\nfrom plug import commands\n"
COMMANDS = "from . import ipam\n"
IPAM = "import os\n"
UNUSED = "print('never imported')\n"


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    plug = tmp_path / "plug"
    plug.mkdir()
    for name, text in {
        "run-plug": PROGRAM,
        "__init__.py": "",
        "commands.py": COMMANDS,
        "ipam.py": IPAM,
        "unused.py": UNUSED,
    }.items():
        (plug / name).write_text(text)
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "links.py").write_text("print('hi')\n")
    return tmp_path


def transcript(lab: Path, *commands: str) -> None:
    (lab / "post" / "steps.console").write_text("".join(f"$ {c}\n" for c in commands))


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("python3 links.py", id="interpreter"),
        pytest.param("ip netns exec pod1 python3 -u ../post/links.py", id="interpreter-in-netns"),
        pytest.param("./links.py --verbose", id="as-program"),
        pytest.param("true && ./links.py", id="after-and"),
    ],
)
def test_running_a_script_counts(lab, command):
    transcript(lab, command)
    assert executed.is_executed(lab / "post" / "links.py", lab)


@pytest.mark.parametrize(
    "command",
    [
        pytest.param("wc -l links.py", id="counted-lines"),
        pytest.param("cat links.py", id="printed"),
        pytest.param("python3 links.py.bak", id="other-file"),
    ],
)
def test_naming_a_script_without_running_it_does_not_count(lab, command):
    transcript(lab, command)
    assert not executed.is_executed(lab / "post" / "links.py", lab)


def test_a_module_imported_through_the_package_by_a_program_a_transcript_runs_counts(lab):
    transcript(lab, "export PLUG=$PWD/../plug/run-plug", "$PLUG < conf.json")
    assert executed.is_executed(lab / "plug" / "ipam.py", lab)
    assert executed.is_executed(lab / "plug" / "commands.py", lab)


def test_a_module_the_program_never_imports_does_not_count(lab):
    transcript(lab, "../plug/run-plug < conf.json", "wc -l ../plug/unused.py")
    assert not executed.is_executed(lab / "plug" / "unused.py", lab)


def test_a_module_of_a_program_no_transcript_runs_does_not_count(lab):
    transcript(lab, "ls ../plug")
    assert not executed.is_executed(lab / "plug" / "ipam.py", lab)
