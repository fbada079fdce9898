"""The one reading of the `--8<--` include, section-marker and fence syntax, for every consumer.

pymdownx.snippets and pymdownx.superfences turn these lines into the page. The MkDocs hook that
names broken includes (hooks/), the lab's audit, transcript parser and failure reports (lab/)
and the browser tests (tests/) must read them exactly as those extensions do, so they all read
them here. Standard library only, outside hooks/ and lab/: both import it, neither imports the
other, and lab/replay runs it in the reader's VM.

The accepted grammar, a strict subset of pymdownx.snippets 10.13+ (its docs: "Snippet Lines",
"Snippet Sections"):

- include line: optional indentation, `-+8<-+`, blanks, the target in double or single quotes,
  nothing after the closing quote. A leading `;` escapes it (the page shows the line, less one
  `;`). Any other line starting with `-+8<-+` is a malformed include: pymdownx.snippets would
  silently show it as text (a trailing blank is its own way to switch an include off).
- block include: a line holding only `-+8<-+` opens and closes it; each line between is a target
  (blank lines and lines starting with `;` are skipped).
- target: `path`, `path:section` (name `[a-z][-_0-9a-z]*`) or `path:lines`, where lines is a
  1-based, inclusive range `:start:end` (either end may be left out or negative) or several
  joined by `,` (`:1:3,8:9`). The path holds no `:` and no quote.
- section marker: `--8<-- [start:name]` or `[end:name]`, anywhere on a line (after the comment
  sign of the file's language); blanks allowed inside the brackets. Marker lines never reach the
  page, whatever the include selects.
- fence: indentation, 3+ backticks or tildes, an info string (language, then `{attributes}` or
  bare `key="value"` pairs, superfences style); closed by 3+ of the same mark, at least as many.

And the lines of a console block, which shows a lab transcript (lab/README.md): the lab's
transcript parser (lab/) and the hook that renders the block (hooks/) must split it alike; and
the transcript's `#lab:` directive lines, of which the page reads one, `#lab: not-in ENVIRONMENT
REASON` (hooks/lab_controls.py shows the reason), while the lab's parser reads them all and
says what is wrong with one; and a transcript's steps, its commands and namespace moves in order
with the sections that show them, which the lab in the page types (hooks/lab_steps.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SECTION_NAME = r"[a-z][-_0-9a-z]*"
_SCISSORS = r"-+8<-+"
_INCLUDE_RE = re.compile(
    rf"""^[ \t]*(?P<escape>;*){_SCISSORS}[ \t]+(?P<q>["'])(?P<written>(?:(?!(?P=q)).)+)(?P=q)$"""
)
_BLOCK_RE = re.compile(rf"^[ \t]*(?P<escape>;*){_SCISSORS}$")
_STARTS_LIKE_INCLUDE_RE = re.compile(rf"^[ \t]*{_SCISSORS}")
# pymdownx.snippets' line selection: `:1:5`, `:3`, `::8`, `:-2:`, `:1:3,8:9`.
_LINES_RE = re.compile(r"(?::-?[0-9]*){1,2}(?:,(?=[-0-9:])-?[0-9]*(?::-?[0-9]*)?)*")
_TARGET_RE = re.compile(
    rf"""(?P<path>[^:"']+?)(?::(?P<section>{SECTION_NAME})|(?P<lines>{_LINES_RE.pattern}))?"""
)
# Case-insensitive, as pymdownx.snippets reads markers; targets name sections in lower case.
_MARKER_RE = re.compile(
    rf"(?i){_SCISSORS}[ \t]+"
    rf"\[[ \t]*(?P<kind>start|end)[ \t]*:[ \t]*(?P<name>{SECTION_NAME})[ \t]*\]"
)
# What a marker starts with; a line holding it is meant as a marker, well formed or not.
_MARKER_START_RE = re.compile(rf"{_SCISSORS}[ \t]*\[")

_FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})(?P<info>[^`]*)$")
_INFO_RE = re.compile(r"^[ \t]*\.?(?P<lang>[\w#.+-]+)?[ \t]*(?:\{(?P<attrs>[^}]*)\})?(?P<rest>.*)$")
_ATTR_RE = re.compile(
    r"""(?P<cls>\.[\w-]+)|(?P<id>\#[\w-]+)|(?P<key>[\w-]+)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+)))?"""
)


class TargetError(ValueError):
    """A target an include cannot name; ``str()`` says what is wrong and how to write it."""


@dataclass(frozen=True)
class Target:
    """What an include pulls in: a file, and a section of it or some of its lines (or all)."""

    path: str
    section: str | None = None
    lines: str | None = None  # as written, `:1:5`; `select` applies it

    def __str__(self) -> str:
        return self.path + (f":{self.section}" if self.section else self.lines or "")


@dataclass(frozen=True)
class Include:
    """One include in a text: its 1-based line and target, or what is wrong with the line."""

    line: int
    written: str
    target: Target | None
    problem: str | None = None


@dataclass(frozen=True)
class Marker:
    """`--8<-- [start:name]` or `[end:name]`: where a section of a file begins or ends."""

    kind: str  # "start" or "end"
    name: str


@dataclass(frozen=True)
class FenceOpening:
    """A line that opens a fence: its indentation and mark, and what its info string says."""

    indent: str
    mark: str
    lang: str
    classes: list[str] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)

    def is_closed_by(self, line: str) -> bool:
        """True for a closing fence: the same mark character, at least as many, nothing else."""
        return (
            re.fullmatch(rf"[ \t]*{re.escape(self.mark[0])}{{{len(self.mark)},}}[ \t]*", line)
            is not None
        )


def parse_target(written: str) -> Target:
    """`dir/file.console:name` -> Target; TargetError when it names no file, section or lines."""
    match = _TARGET_RE.fullmatch(written.strip())
    if match is None:
        raise TargetError(
            f"'{written}' is not a snippet target: write 'path', 'path:section' (a name "
            f"{SECTION_NAME}) or 'path:start:end' (lines); a path holds no ':' or quote"
        )
    return Target(match["path"], match["section"], match["lines"])


def include_on(line: str, number: int = 1) -> Include | None:
    """The include a single line makes, a malformed one (with its problem), or None."""
    match = _INCLUDE_RE.match(line)
    if match is not None:
        return None if match["escape"] else _include(number, match["written"])
    if _STARTS_LIKE_INCLUDE_RE.match(line) and _BLOCK_RE.match(line) is None:
        written = line.lstrip()
        return Include(
            number,
            written,
            None,
            f'{written!r} is not an include pymdownx.snippets reads: write --8<-- "path" '
            "(or 'path') with nothing after the closing quote, not even a blank",
        )
    return None


def shown_as_text(line: str) -> str:
    """A line that is no include, as the page shows it: an escaped include loses one `;`."""
    match = _INCLUDE_RE.match(line) or _BLOCK_RE.match(line)
    return line.replace(";", "", 1) if match is not None and match["escape"] else line


def is_block_delimiter(line: str) -> bool:
    """True for a line that opens or closes a block include (escaped ones are text)."""
    match = _BLOCK_RE.match(line)
    return match is not None and not match["escape"]


def console_line_kind(line: str, continuing: bool) -> str:
    """``command``, ``continuation`` or ``output``: ``$`` or ``$ ...`` starts a command; ``>`` or
    ``> ...`` continues it when ``continuing`` (the line before was a command or a continuation);
    any other line is output. Trailing blanks do not count."""
    line = line.rstrip()
    if line == "$" or line.startswith("$ "):
        return "command"
    if continuing and (line == ">" or line.startswith("> ")):
        return "continuation"
    return "output"


DIRECTIVE_PREFIX = "#lab:"


def directive(line: str) -> tuple[str, str] | None:
    """``(name, argument)`` of a transcript's `#lab: name argument` line, else None."""
    if not line.startswith(DIRECTIVE_PREFIX):
        return None
    name, _, argument = line[len(DIRECTIVE_PREFIX) :].strip().partition(" ")
    return name, argument.strip()


def not_in(argument: str) -> tuple[str, str]:
    """``(environment, reason)`` of a `#lab: not-in` directive's argument."""
    environment, _, reason = argument.partition(" ")
    return environment, reason.strip()


def declared_not_in(text: str) -> dict[str, str]:
    """The environments a transcript declares it cannot run in, each with its reason (the
    first, where one is declared twice: the lab's parser reports that as an error)."""
    declared: dict[str, str] = {}
    for line in text.splitlines():
        found = directive(line)
        if found is not None and found[0] == "not-in":
            environment, reason = not_in(found[1])
            declared.setdefault(environment, reason)
    return declared


@dataclass(frozen=True)
class LabStep:
    """One step of a transcript as a reader takes it, in order: a command to type (``run``: its
    lines, continuation lines without their ``> ``, joined by newlines), or a move into another
    network namespace (``enter``: its name) and back (``leave``); with the sections that show it
    (none: the transcript runs it, the page does not show it)."""

    kind: str  # "run", "enter" or "leave"
    text: str = ""
    sections: tuple[str, ...] = ()


def lab_steps(text: str) -> list[LabStep]:
    """A transcript's steps (LabStep), read as the lab's parser reads them; a malformed
    transcript is the lab's parser's to report (the page's build reads only good ones)."""
    steps: list[LabStep] = []
    open_sections: dict[str, None] = {}  # in the order they opened
    continuing = False
    for raw in text.splitlines():
        line = raw.rstrip()
        kind = console_line_kind(line, continuing)
        continuing = False
        if looks_like_marker(line):
            marker = section_marker(line)
            if marker is not None and marker.kind == "start":
                open_sections[marker.name] = None
            elif marker is not None:
                open_sections.pop(marker.name, None)
        elif (found := directive(line)) is not None:
            if found[0] in ("enter", "leave"):
                steps.append(LabStep(found[0], found[1]))
        elif kind == "command":
            steps.append(LabStep("run", line[2:], tuple(open_sections)))
            continuing = True
        elif kind == "continuation" and steps:
            last = steps[-1]
            steps[-1] = LabStep("run", f"{last.text}\n{line[2:]}", last.sections)
            continuing = True
    return steps


def includes(text: str) -> list[Include]:
    """Every include of a Markdown text, single-line and block, in order."""
    found: list[Include] = []
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if is_block_delimiter(line):
            in_block = not in_block
        elif in_block:
            written = line.strip()
            if written and not written.startswith(";"):
                found.append(_include(number, written))
        else:
            include = include_on(line, number)
            if include is not None:
                found.append(include)
    return found


def _include(number: int, written: str) -> Include:
    try:
        return Include(number, written, parse_target(written))
    except TargetError as error:
        return Include(number, written, None, str(error))


def section_marker(line: str) -> Marker | None:
    """The section marker on a line, as pymdownx.snippets reads it (escaped ones are text)."""
    match = _MARKER_RE.search(line)
    if match is None or line[: match.start()].endswith(";"):
        return None
    return Marker(match["kind"].lower(), match["name"])


def _unescaped(line: str) -> str:
    """An escaped marker as the page shows it: one `;` less before the scissors."""
    match = _MARKER_RE.search(line)
    if match is None or not line[: match.start()].endswith(";"):
        return line
    return line[: match.start() - 1] + line[match.start() :]


def looks_like_marker(line: str) -> bool:
    """True for a line meant as a section marker, even a malformed or escaped one."""
    return _MARKER_START_RE.search(line) is not None


def section_names(text: str) -> set[str]:
    """The names of the sections a file starts."""
    return {
        marker.name
        for marker in map(section_marker, text.splitlines())
        if marker is not None and marker.kind == "start"
    }


def file_lines(text: str) -> list[str]:
    """A file's lines as pymdownx.snippets counts them: a final newline ends in one blank line."""
    lines = text.splitlines()
    return [*lines, ""] if text.endswith(("\n", "\r")) else lines


def select(text: str, target: Target) -> list[str]:
    """The lines pymdownx.snippets puts in place of an include of ``target``, from the text of
    its file; KeyError when the section does not exist."""
    lines = file_lines(text)
    if target.section is not None:
        chosen = _section(lines, target.section)
    elif target.lines is not None:
        chosen = _line_spans(lines, target.lines)
    else:
        chosen = lines
    return [_unescaped(line) for line in chosen if section_marker(line) is None]


def _section(lines: list[str], name: str) -> list[str]:
    start = next(
        (i for i, line in enumerate(lines) if section_marker(line) == Marker("start", name)), None
    )
    if start is None:
        raise KeyError(name)
    end = next(
        (
            i
            for i in range(start + 1, len(lines))
            if section_marker(lines[i]) == Marker("end", name)
        ),
        len(lines),  # no end marker: pymdownx.snippets reads on to the end of the file
    )
    return lines[start + 1 : end]


def _line_spans(lines: list[str], spans: str) -> list[str]:
    """`:1:5`-style selections, 1-based and inclusive; negative counts from the end."""
    total = len(lines)
    chosen: list[str] = []
    for span in spans[1:].split(","):
        first, _, last = span.partition(":")
        start = int(first) if first else None
        end = int(last) if last else None
        if start is not None:
            start = max(0, total + start) if start < 0 else max(0, start - 1)
        if end is not None and end < 0:
            end = max(0, min(total, total + 1 + end))
        chosen.extend(lines[start:end])
    return chosen


def fence_opening(line: str) -> FenceOpening | None:
    """The fence a line opens (language, classes, attributes), or None."""
    match = _FENCE_OPEN_RE.match(line)
    if match is None:
        return None
    return FenceOpening(match["indent"], match["mark"], *parse_info(match["info"]))


def lines_outside_fences(text: str) -> list[str]:
    """The lines of Markdown that no fenced block holds (fences at any indentation, so inside
    admonitions and tabs too), the fence lines themselves left out."""
    kept: list[str] = []
    opening: FenceOpening | None = None
    for line in text.splitlines():
        if opening is None:
            opening = fence_opening(line)
            if opening is None:
                kept.append(line)
        elif opening.is_closed_by(line):
            opening = None
    return kept


def parse_info(info: str) -> tuple[str, list[str], dict[str, str]]:
    """A fence's info string -> (language, classes, attributes), superfences style."""
    match = _INFO_RE.match(info)
    if match is None:
        return "", [], {}
    classes: list[str] = []
    attrs: dict[str, str] = {}
    for source in (match["attrs"] or "", match["rest"] or ""):
        for attr in _ATTR_RE.finditer(source):
            if attr["cls"]:
                classes.append(attr["cls"][1:])
            elif attr["key"]:
                value = attr["dq"] if attr["dq"] is not None else attr["sq"]
                attrs[attr["key"]] = value if value is not None else (attr["bare"] or "")
    lang = match["lang"] or (classes.pop(0) if classes else "")
    return lang.lower(), classes, attrs
