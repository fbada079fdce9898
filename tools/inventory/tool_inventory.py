"""Every external program the project runs, with the place that runs it.

Read from the sources, not from a list kept by hand, so a new command cannot slip past:
- transcripts (`lab/**/*.console`): the first word of every command and of every stage of its
  pipelines, lists, loops and substitutions, including hidden setup; wrappers such as
  `ip netns exec NS CMD`, `timeout N CMD` or `bash -c '…'` are looked through;
- shell scripts (every `*.sh` and every file with a sh/bash shebang, `.ci/run` included) and the
  Makefile's recipes;
- Python (tests, hooks, lab code, benchmarks): the argv of `subprocess.*`/`os.exec*` calls, shell
  strings given to a `run(…)`, transcripts embedded in tests (`$ …` lines naming a program
  installed here), names passed to `shutil.which(…)` or `require_tool(…)`, and absolute paths
  of system programs (`/usr/bin/chromium`, `/usr/lib/cni/bridge`).

What is not a system program is left out by rule, each rule named below: shell builtins and
keywords, functions a script defines, variables (`$PODNET`), the project's own files, and the
virtualenv's tools (those come from requirements.txt, not from Debian).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from labrun import transcript
from labrun.sandbox import SYSTEM_PATH
from testkit.paths import REPO

# Programs that run the rest of their arguments as another command, and how many of their own
# arguments come first (None: skip options and VAR=value words until the command).
WRAPPERS: dict[tuple[str, ...], int | None] = {
    ("ip", "netns", "exec"): 1,  # ip netns exec NETNS CMD …
    ("timeout",): 1,  # timeout DURATION CMD …
    ("env",): None,
    ("sudo",): None,
    ("exec",): None,
    ("nohup",): 0,
    ("setsid",): None,
    ("xargs",): None,
    ("nsenter",): None,
    ("unshare",): None,
    ("setpriv",): None,
    ("runuser",): None,
    ("chroot",): 1,
}
# Options of those wrappers that take the next word as their value (`unshare --propagation
# private sh`, `runuser -u reader make`, `xargs -n 1 ping`).
OPTIONS_WITH_ARGUMENT = {
    *("--propagation", "--setgroups", "--wd", "-w", "-S", "-G", "-R", "--root"),  # unshare
    *("-u", "-g", "-C", "-t", "--target", "-I", "-n", "-P", "-s", "-k"),
}
SHELLS = {"bash", "sh"}
# Programs whose -c takes a shell command line (runuser -l USER -c 'CMD').
TAKE_A_SCRIPT = SHELLS | {"runuser", "su"}

# Bash builtins and keywords (bash's own `compgen -b -k`, as of bash 5.2): run by the shell.
BASH_BUILTINS = set(
    """
    . : [ alias bg bind break builtin caller cd command compgen complete compopt continue
    declare dirs disown echo enable eval exec exit export false fc fg getopts hash help history
    jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return set
    shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait
    if then else elif fi case esac for select while until do done in function time { } ! [[ ]]
    coproc
    """.split()
)

SYSTEM_PROGRAM_RE = re.compile(r"^/(?:usr/)?(?:s?bin|lib/cni|libexec)/[\w.+-]+$")
SOURCE_FOLDERS = ("lab", "tests", "tools", "hooks", ".ci", "snippets_grammar")
SKIPPED_FOLDERS = {".venv", ".git", "node_modules", ".node", "__pycache__", "site"}
SUBPROCESS_FUNCTIONS = {"run", "Popen", "check_output", "check_call", "call"}
EXEC_FUNCTIONS = {"execv", "execvp", "execve", "execvpe", "execl", "execlp"}


@dataclass(frozen=True)
class Use:
    """One program and one place that runs it (file:line)."""

    command: str
    where: str


class InventoryError(Exception):
    """A source could not be read: the inventory would be incomplete, so it stops."""


# --- shell -------------------------------------------------------------------------------------


def shell_commands(script: str, where: str) -> Iterator[tuple[str, int]]:
    """(program, line) for every simple command of a bash script, looking through wrappers.

    The parsing is shfmt's (a complete bash parser): `shfmt --tojson` prints the syntax tree,
    in which every simple command is a CallExpr, wherever it sits (pipelines, loops, $(…)).
    """
    result = subprocess.run(
        ["shfmt", "--tojson"], input=script, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise InventoryError(f"{where}: cannot parse as bash: {result.stderr.strip()}")
    tree = json.loads(result.stdout)
    functions = {node["Name"]["Value"] for node in _nodes(tree) if node.get("Type") == "FuncDecl"}
    for node in _nodes(tree):
        if node.get("Type") == "CallExpr" and node.get("Args"):
            words = [_word(arg) for arg in node["Args"]]
            if words[0] in functions:
                # A function of the script that runs its arguments (`in_root runuser …`,
                # `step "what" make test`): the first argument naming a program starts a command.
                words = next(
                    (words[i:] for i in range(1, len(words)) if _names_a_program(words[i])), []
                )
            for name in unwrap(words, where):
                if name not in functions:
                    yield name, node["Pos"]["Line"]


def _names_a_program(word: str) -> bool:
    return SYSTEM_PROGRAM_RE.match(word) is not None or (
        "/" not in word and shutil.which(word, path=SYSTEM_PATH) is not None
    )


def _nodes(tree: object) -> Iterator[dict]:
    if isinstance(tree, dict):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _nodes(value)


def _word(word: dict) -> str:
    """A word's text as far as it is literal; expansions stay visible as `$`."""
    text = []
    for part in word.get("Parts", []):
        kind = part.get("Type")
        if kind in {"Lit", "SglQuoted"}:
            text.append(part["Value"])
        elif kind == "DblQuoted":
            text.append(_word(part))
        else:
            text.append("$")
    return "".join(text)


def unwrap(words: list[str], where: str) -> Iterator[str]:
    """The program a command's words run, and the one it wraps (`ip netns exec pod1 ping` →
    ip, ping); `bash -c SCRIPT` yields the programs of SCRIPT."""
    words = [word for word in words if word]
    while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
        words = words[1:]  # VAR=value prefixes
    if not words:
        return
    yield words[0]
    name = Path(words[0]).name
    flags = [index for index, word in enumerate(words) if re.fullmatch(r"-[a-z]*c[a-z]*", word)]
    if name in TAKE_A_SCRIPT and flags and flags[0] + 1 < len(words):
        # bash -c SCRIPT, bash -euc SCRIPT: the programs are the script's.
        yield from (program for program, _ in shell_commands(words[flags[0] + 1], where))
        return
    for prefix, fixed in WRAPPERS.items():
        if tuple(words[: len(prefix)]) != prefix and (len(prefix) > 1 or name != prefix[0]):
            continue
        rest = words[len(prefix) :]
        if fixed is None and "--" in rest:
            rest = rest[rest.index("--") :]  # options end at --
        elif fixed is None:
            while rest and (rest[0].startswith("-") or "=" in rest[0]):
                rest = rest[2:] if rest[0] in OPTIONS_WITH_ARGUMENT else rest[1:]
        else:
            rest = rest[fixed:]
        if rest and rest[0] == "--":
            rest = rest[1:]
        yield from unwrap(rest, where)
        return


def transcript_uses(path: Path) -> Iterator[Use]:
    parsed = transcript.load(path)
    for command in parsed.commands:
        where = f"{path.relative_to(REPO)}:{command.line}"
        for name, _ in shell_commands(command.text, where):
            yield Use(name, where)


def makefile_uses(path: Path) -> Iterator[Use]:
    """Recipe lines of the Makefile (make's own `$(VAR)`s stand for words it fills in)."""
    lines = path.read_text().splitlines()
    number = 0
    while number < len(lines):
        start = number
        recipe = lines[number]
        while recipe.endswith("\\") and number + 1 < len(lines):
            number += 1
            recipe = recipe[:-1] + " " + lines[number].strip()
        number += 1
        if not recipe.startswith("\t"):
            continue
        recipe = recipe.strip().lstrip("@-+").strip().replace("$$", "$")
        # $(BIN)/tool is the virtualenv's; $(MAKE) is make itself; other $(X) are paths or lists.
        recipe = re.sub(r"\$\(BIN\)/\S+", "venvtool", recipe)
        recipe = recipe.replace("$(PYTHON)", "python3").replace("$(MAKE)", "make")
        recipe = re.sub(r"\$\((\w+)\)", r"$\1", recipe)
        where = f"{path.relative_to(REPO)}:{start + 1}"
        for name, _ in shell_commands(recipe, where):
            yield Use(name, where)


def script_uses(path: Path) -> Iterator[Use]:
    relative = path.relative_to(REPO)
    for name, line in shell_commands(path.read_text(), str(relative)):
        yield Use(name, f"{relative}:{line}")


# --- Python ------------------------------------------------------------------------------------


def is_python(path: Path) -> bool:
    if path.suffix == ".py":
        return True
    if path.suffix or not path.is_file():
        return False
    line = first_line(path)
    return line.startswith(b"#!") and b"python" in line


def source_files() -> list[Path]:
    files: set[Path] = set()
    for folder in SOURCE_FOLDERS:
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and not SKIPPED_FOLDERS & set(path.relative_to(REPO).parts):
                files.add(path)
    return sorted(files)


def first_line(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.readline(200)


def is_shell_script(path: Path) -> bool:
    if path.suffix == ".sh":
        return True
    line = first_line(path)
    return (
        not path.suffix and line.startswith(b"#!") and re.search(rb"\b(ba)?sh\b", line) is not None
    )


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _argv_head(node: ast.AST) -> str | None:
    """The program of an argv literal: ["ip", "link"] or [str(X), …] (None when not literal)."""
    if isinstance(node, ast.List | ast.Tuple) and node.elts:
        first = node.elts[0]
        if isinstance(first, ast.Starred):
            return None
        return _string(first)
    return None


def python_uses(path: Path) -> Iterator[Use]:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except SyntaxError as error:
        raise InventoryError(f"{path}:{error.lineno}: cannot parse: {error.msg}") from error
    relative = path.relative_to(REPO)
    for node in ast.walk(tree):
        where = f"{relative}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Call) and node.args:
            programs = _called_programs(node, where)
        elif (text := _string(node)) is not None:
            programs = _programs_in_text(text, where)
        else:
            continue
        yield from (Use(program, where) for program in programs)


def _called_programs(node: ast.Call, where: str) -> Iterator[str]:
    name, first = _call_name(node), node.args[0]
    head = _argv_head(first)
    if name in SUBPROCESS_FUNCTIONS | EXEC_FUNCTIONS:
        if head is not None:
            yield from unwrap([_string(word) or "" for word in first.elts], where)  # type: ignore[attr-defined]
        elif (script := _string(first)) is not None and " " in script.strip():
            yield from (program for program, _ in shell_commands(script, where))
    elif name in {"which", "require_tool"}:
        if (program := _string(first)) is not None:
            yield program
    elif head is not None and (
        SYSTEM_PROGRAM_RE.match(head) or shutil.which(head, path=SYSTEM_PATH)
    ):
        # Helpers that take an argv (`read(["nft", "list", "ruleset"])`): any list of words
        # starts like one, so only a head that names a program counts here.
        yield head


def _programs_in_text(text: str, where: str) -> Iterator[str]:
    """An absolute path of a system program, or transcripts written into a test (`$ …`)."""
    if SYSTEM_PROGRAM_RE.match(text):
        yield text
    for line in text.splitlines():
        if line.startswith("$ "):
            try:
                programs = [program for program, _ in shell_commands(line[2:], where)]
            except InventoryError:
                continue  # a test's deliberately broken command (the bad-input tests)
            # A `$ ` line in a string may be sample text ("$ not counted at all"): only a
            # word that names a program here counts. Real transcripts (lab/) are read whole.
            yield from (
                program
                for program in programs
                if program.startswith("/") or shutil.which(program, path=SYSTEM_PATH)
            )


# --- everything ----------------------------------------------------------------------------------


def all_uses() -> list[Use]:
    uses: list[Use] = []
    for path in sorted((REPO / "lab").rglob("*.console")):
        uses.extend(transcript_uses(path))
    uses.extend(makefile_uses(REPO / "Makefile"))
    for path in source_files():
        if is_shell_script(path):
            uses.extend(script_uses(path))
        elif is_python(path):
            uses.extend(python_uses(path))
    return uses
