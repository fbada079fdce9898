"""Does some transcript execute a Python file the article shows?

Showing code that no test runs would be the article lying by omission. A shown `.py` file
counts as executed when a transcript command runs it (`python3 netns.py`, `./netns.py`), or
when it is a module of a program a transcript runs: an executable with a Python shebang in the
same package that imports it, directly or through the package's other modules (the CNI plugin
`lab/cni/podnet` imports `commands`, which imports `ipam`). Naming a file in some other command
(`wc -l ipam.py`) does not count.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

from labrun import transcript


def commands_under(lab_dir: Path) -> list[str]:
    """The text of every command of every well-formed transcript under `lab_dir`."""
    texts = []
    for console in sorted(lab_dir.rglob("*.console")):
        try:
            texts += [command.text for command in transcript.load(console).commands]
        except transcript.TranscriptError:
            continue  # reported by the audit's own check of that transcript
    return texts


def runs_script(command: str, name: str) -> bool:
    """Whether `command` runs the Python file `name`, with an interpreter or as a program."""
    file = rf"(?:\S*/)?{re.escape(name)}(?![\w.-])"
    with_interpreter = rf"\bpython3?(?:\s+-\S+)*\s+{file}"
    as_program = rf"(?:^|[;&|(]\s*|\bexec\s+|\btime\s+){file}"
    return (
        re.search(with_interpreter, command) is not None
        or re.search(as_program, command, flags=re.MULTILINE) is not None
    )


def names_program(command: str, name: str) -> bool:
    """Whether `command` names the program `name` as a path or a word (`PODNET=$PWD/../podnet`)."""
    return re.search(rf"(?:^|[\s/=]){re.escape(name)}(?![\w.-])", command) is not None


def programs_importing(module: Path) -> list[Path]:
    """Executables beside `module` (Python shebang) that import it, directly or transitively."""
    package = module.parent
    siblings = {path.stem for path in package.glob("*.py")}
    return [
        program
        for program in sorted(package.iterdir())
        if program.is_file() and not program.suffix and _is_python_program(program)
        if module.stem in _reachable_modules(program, package, siblings)
    ]


def is_executed(script: Path, lab_dir: Path) -> bool:
    commands = commands_under(lab_dir)
    if any(runs_script(command, script.name) for command in commands):
        return True
    return any(
        names_program(command, program.name)
        for program in programs_importing(script)
        for command in commands
    )


def _is_python_program(path: Path) -> bool:
    with path.open("rb") as file:
        first = file.readline()
    return first.startswith(b"#!") and b"python" in first


def _reachable_modules(program: Path, package: Path, siblings: set[str]) -> set[str]:
    seen: set[str] = set()
    pending = list(_imported_siblings(program, siblings))
    while pending:
        name = pending.pop()
        if name not in seen:
            seen.add(name)
            pending += _imported_siblings(package / f"{name}.py", siblings)
    return seen


def _imported_siblings(path: Path, siblings: set[str]) -> Iterable[str]:
    """Names of `siblings` that `path` imports, in any form: `import pkg.x`, `from pkg import x`,
    `from . import x`, `from .x import y`, `from pkg.x import y`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            dotted = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = (node.module or "").split(".") if node.module else []
            dotted = [base] + [[*base, alias.name] for alias in node.names]
        else:
            continue
        for parts in dotted:
            yield from (part for part in parts if part in siblings)
