"""Parse a transcript (`lab/<slug>/*.console`) into commands, expected output and sections.

Grammar, one line at a time (lab/README.md has the author's version):

    $ command            a command; `> ` lines right after it continue it
    output               what the command prints (stdout and stderr merged)
    ...                  zero or more output lines
    [N]                  the command exits with status N (after its output)
    # --8<-- [start:x]   section markers the article includes with pymdownx.snippets
    #lab: directive      hidden instructions for the runner (never inside a section)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import snippets_grammar

WILDCARD = "..."

STATUS_RE = re.compile(r"^\[(?P<status>[0-9]{1,3})\]$")
# Published output shows real values; the runner masks the volatile ones (STYLE: no `<MAC>`).
PLACEHOLDER_RE = re.compile(
    r"<(?:MAC|mac|IP|ip|ADDR|addr|IPV6|PID|pid|TIME|time|HASH|hash|ID|UUID|uuid)>"
    r"|\b(?:[xX]{2}:){5}[xX]{2}\b"
)
DIRECTIVES = ("note", "timeout", "requires", "enter", "leave", "not-in")
# Where a transcript may be replayed besides the sandbox and the test VM, which run them all:
# `browser` is the lab in the reader's browser (v86, an i686 guest; tools/browserlab/).
ENVIRONMENTS = ("browser",)


class TranscriptError(Exception):
    """A malformed transcript; `str()` is `path:line: message`."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = line
        self.message = message


@dataclass
class Command:
    """One `$` command, its continuation lines and what it must print."""

    line: int
    source: list[str]
    expected: list[str] = field(default_factory=list)
    status: int = 0
    timeout: float | None = None  # None: the runner's default
    sections: tuple[str, ...] = ()
    # File lines (0-based, end exclusive) holding the output and `[N]`; update mode rewrites them.
    output_start: int = 0
    output_end: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.source)


@dataclass
class Enter:
    """`#lab: enter NETNS`: the next commands run in that network namespace (another machine)."""

    line: int
    netns: str


@dataclass
class Leave:
    """`#lab: leave`: back to the machine the session ran on before the last `enter`."""

    line: int


Step = Command | Enter | Leave


@dataclass
class Section:
    name: str
    start: int
    end: int


# `#lab: requires kernel:TYPE`: a link type the running kernel must know.
KERNEL = "kernel:"


@dataclass
class Transcript:
    path: Path
    lines: list[str]
    steps: list[Step]
    sections: dict[str, Section]
    requires: list[str]
    # `#lab: not-in ENVIRONMENT REASON`: the environments it cannot run in, and why.
    excluded: dict[str, str] = field(default_factory=dict)

    @property
    def commands(self) -> list[Command]:
        return [step for step in self.steps if isinstance(step, Command)]

    @property
    def kernel_links(self) -> list[str]:
        """The link types `#lab: requires kernel:TYPE` names: each needs the running kernel's
        module (ipip), which loaded changes every namespace made after it."""
        return [item.removeprefix(KERNEL) for item in self.requires if item.startswith(KERNEL)]

    def section_text(self, name: str) -> list[str]:
        """The lines the article shows for a section (marker lines dropped, as snippets does)."""
        section = self.sections[name]
        body = self.lines[section.start : section.end - 1]
        return [line for line in body if snippets_grammar.section_marker(line) is None]


def load(path: Path) -> Transcript:
    return parse(path, path.read_text(encoding="utf-8"))


def parse(path: Path, text: str) -> Transcript:
    return _Parser(path, text.splitlines()).parse()


class _Parser:
    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.steps: list[Step] = []
        self.sections: dict[str, Section] = {}
        self.open_sections: dict[str, int] = {}
        self.requires: list[str] = []
        self.excluded: dict[str, str] = {}
        self.command: Command | None = None
        self.in_continuation = False
        self.output_closed_at: int | None = None
        self.next_timeout: float | None = None
        self.depth = 0

    def error(self, number: int, message: str) -> TranscriptError:
        return TranscriptError(self.path, number, message)

    def parse(self) -> Transcript:
        for index, raw in enumerate(self.lines):
            self.line(index + 1, raw.rstrip())
        self.finish_command()
        if self.open_sections:
            name, start = next(iter(self.open_sections.items()))
            raise self.error(start, f"unterminated section '{name}' (no '# --8<-- [end:{name}]')")
        return Transcript(
            self.path, self.lines, self.steps, self.sections, self.requires, self.excluded
        )

    def line(self, number: int, line: str) -> None:
        kind = snippets_grammar.console_line_kind(line, continuing=self.in_continuation)
        self.in_continuation = False
        if snippets_grammar.looks_like_marker(line):
            self.marker(number, line)
        elif (found := snippets_grammar.directive(line)) is not None:
            self.directive(number, *found)
        elif kind == "command":
            self.start_command(number, line[2:])
        elif kind == "continuation":
            assert self.command is not None
            self.command.source.append(line[2:])
            self.command.output_start = self.command.output_end = number
            self.in_continuation = True
        else:
            self.output(number, line)

    def marker(self, number: int, line: str) -> None:
        """A section marker, in the one form transcripts write it: `# --8<-- [start:name]`."""
        marker = snippets_grammar.section_marker(line)
        if marker is None or line != f"# --8<-- [{marker.kind}:{marker.name}]":
            raise self.error(
                number, f"malformed section marker {line!r}; write '# --8<-- [start:name]'"
            )
        self.close_output(number)
        name = marker.name
        if marker.kind == "start":
            if name in self.open_sections or name in self.sections:
                raise self.error(number, f"section '{name}' is defined twice")
            self.open_sections[name] = number
        else:
            if name not in self.open_sections:
                raise self.error(number, f"end of section '{name}' that was never started")
            self.sections[name] = Section(name, self.open_sections.pop(name), number)

    def requirements(self, number: int, argument: str) -> None:
        """`#lab: requires ...`: commands, paths, `link:TYPE`, `kernel:TYPE`, `root`."""
        if not argument:
            raise self.error(
                number, "requires needs at least one command, path, link:TYPE or kernel:TYPE"
            )
        for item in argument.split():
            if item.startswith(KERNEL) and not re.fullmatch(r"kernel:[a-z0-9_]+", item):
                raise self.error(
                    number, f"{item!r}: kernel:TYPE needs a link type, e.g. kernel:ipip"
                )
            self.requires.append(item)

    def directive(self, number: int, name: str, argument: str) -> None:
        if name not in DIRECTIVES:
            known = ", ".join(DIRECTIVES)
            raise self.error(number, f"unknown directive '#lab: {name}' (known: {known})")
        if self.open_sections:
            section = next(iter(self.open_sections))
            raise self.error(
                number, f"directive inside section '{section}' would be shown in the article"
            )
        self.close_output(number)
        if name == "timeout":
            try:
                self.next_timeout = float(argument)
            except ValueError:
                raise self.error(number, f"timeout needs seconds, got {argument!r}") from None
            if self.next_timeout <= 0:
                raise self.error(number, f"timeout must be positive, got {argument!r}")
        elif name == "requires":
            self.requirements(number, argument)
        elif name == "not-in":
            self.not_in(number, argument)
        elif name == "enter":
            if not re.fullmatch(r"[A-Za-z0-9][-_.A-Za-z0-9]*", argument):
                raise self.error(number, f"enter needs a network namespace name, got {argument!r}")
            self.finish_command()
            self.steps.append(Enter(number, argument))
            self.depth += 1
        elif name == "leave":
            if self.depth == 0:
                raise self.error(number, "leave without a matching enter")
            self.finish_command()
            self.steps.append(Leave(number))
            self.depth -= 1

    def not_in(self, number: int, argument: str) -> None:
        """`#lab: not-in browser <reason>`: declared, with a reason the page can show."""
        environment, reason = snippets_grammar.not_in(argument)
        if environment not in ENVIRONMENTS:
            known = ", ".join(ENVIRONMENTS)
            raise self.error(number, f"not-in needs an environment ({known}), got {environment!r}")
        if not reason:
            raise self.error(number, f"not-in {environment} needs a reason after the environment")
        if environment in self.excluded:
            raise self.error(number, f"not-in {environment} is declared twice")
        self.excluded[environment] = reason

    def start_command(self, number: int, source: str) -> None:
        if not source.strip():
            raise self.error(number, "empty command")
        self.finish_command()
        self.command = Command(
            line=number,
            source=[source],
            timeout=self.next_timeout,
            sections=tuple(self.open_sections),
            output_start=number,
            output_end=number,
        )
        self.next_timeout = None
        self.output_closed_at = None
        self.in_continuation = True

    def output(self, number: int, line: str) -> None:
        if self.command is None:
            if line:
                raise self.error(number, f"output before any command: {line!r}")
            return
        if self.output_closed_at is not None:
            if line:
                raise self.error(
                    number,
                    f"output after line {self.output_closed_at} is not attached to a command "
                    "(markers and directives go between commands)",
                )
            return
        if self.command.status and line:
            raise self.error(number, f"output after the exit status [{self.command.status}]")
        status = STATUS_RE.match(line)
        if status is not None:
            value = int(status["status"])
            if not 1 <= value <= 255:  # noqa: PLR2004
                raise self.error(number, f"exit status must be 1..255, got [{value}]")
            self.command.status = value
        else:
            placeholder = PLACEHOLDER_RE.search(line)
            if placeholder is not None:
                raise self.error(
                    number,
                    f"placeholder {placeholder.group()!r} in published output: show a real value "
                    "(volatile values are masked by the runner)",
                )
            self.command.expected.append(line)
        if line:
            self.command.output_end = number

    def close_output(self, number: int) -> None:
        if self.command is not None and self.output_closed_at is None:
            self.output_closed_at = number

    def finish_command(self) -> None:
        command = self.command
        if command is None:
            return
        while command.expected and not command.expected[-1]:
            command.expected.pop()
        self.steps.append(command)
        self.command = None
