"""Read the Markdown side: which page line includes which lab file (section), and every fence.

This mirrors the parts of pymdownx.snippets and pymdownx.superfences the audit and the failure
reports need, line by line, so fences indented inside admonitions and content tabs count too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# pymdownx.snippets: `--8<-- "file"` on one line, or a block of paths between two `--8<--`.
INLINE_INCLUDE_RE = re.compile(
    r"""^[ \t]*(?P<escape>;*)-+8<-+[ \t]+(?P<q>["'])(?P<target>.+?)(?P=q)$"""
)
BLOCK_INCLUDE_RE = re.compile(r"^[ \t]*(?P<escape>;*)-+8<-+$")
SECTION_SUFFIX_RE = re.compile(r"(?i):([a-z][-_0-9a-z]*)$")
LINES_SUFFIX_RE = re.compile(r"(?::-?[0-9]*){1,2}(?:,-?[0-9]*(?::-?[0-9]*)?)*$")

FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^`]*)$")
INFO_RE = re.compile(r"^[ \t]*\.?(?P<lang>[\w#.+-]+)?[ \t]*(?:\{(?P<attrs>[^}]*)\})?(?P<rest>.*)$")
ATTR_RE = re.compile(
    r"""(?P<cls>\.[\w-]+)|(?P<id>\#[\w-]+)|(?P<key>[\w-]+)(?:=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+)))?"""
)


@dataclass
class Include:
    """One `--8<--` include: the page and line, and the lab file (and section) it pulls in."""

    page: Path
    line: int
    target: str
    section: str | None

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"


@dataclass
class Fence:
    page: Path
    line: int
    lang: str
    classes: list[str]
    attrs: dict[str, str]
    body: list[tuple[int, str]] = field(default_factory=list)


def split_target(target: str) -> tuple[str, str | None]:
    """`dir/file.console:name` -> (`dir/file.console`, `name`); line ranges are dropped."""
    section = SECTION_SUFFIX_RE.search(target)
    if section is not None and not section.group(1).isdigit():
        return target[: section.start()], section.group(1)
    lines = LINES_SUFFIX_RE.search(target)
    if lines is not None and lines.group():
        return target[: lines.start()], None
    return target, None


def includes_in(page: Path, text: str) -> list[Include]:
    found: list[Include] = []
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        block = BLOCK_INCLUDE_RE.match(line)
        if block is not None:
            if not block["escape"]:
                in_block = not in_block
            continue
        if in_block:
            path = line.strip()
            if path and not path.startswith(";"):
                found.append(Include(page, number, *split_target(path)))
            continue
        inline = INLINE_INCLUDE_RE.match(line)
        if inline is not None and not inline["escape"]:
            found.append(Include(page, number, *split_target(inline["target"])))
    return found


def pages(docs_dir: Path) -> list[Path]:
    return sorted(docs_dir.rglob("*.md"))


def all_includes(docs_dir: Path) -> list[Include]:
    return [
        include
        for page in pages(docs_dir)
        for include in includes_in(page, page.read_text(encoding="utf-8"))
    ]


def parse_info(info: str) -> tuple[str, list[str], dict[str, str]]:
    """A fence's info string -> (language, classes, attributes), superfences style."""
    match = INFO_RE.match(info)
    if match is None:
        return "", [], {}
    classes: list[str] = []
    attrs: dict[str, str] = {}
    for source in (match["attrs"] or "", match["rest"] or ""):
        for attr in ATTR_RE.finditer(source):
            if attr["cls"]:
                classes.append(attr["cls"][1:])
            elif attr["key"]:
                value = attr["dq"] if attr["dq"] is not None else attr["sq"]
                attrs[attr["key"]] = value if value is not None else (attr["bare"] or "")
    lang = match["lang"] or (classes.pop(0) if classes else "")
    return lang.lower(), classes, attrs


def fences_in(page: Path, text: str) -> list[Fence]:
    lines = text.splitlines()
    start = _after_front_matter(lines)
    found: list[Fence] = []
    fence: Fence | None = None
    closer: re.Pattern[str] | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None and closer is not None:
            if closer.match(line):
                found.append(fence)
                fence = None
            else:
                fence.body.append((index + 1, line))
            continue
        opened = FENCE_OPEN_RE.match(line)
        if opened is not None:
            mark = opened["fence"]
            closer = re.compile(rf"^[ \t]*{re.escape(mark[0])}{{{len(mark)},}}[ \t]*$")
            fence = Fence(page, index + 1, *parse_info(opened["info"]))
    if fence is not None:
        found.append(fence)  # unclosed: runs to the end of the page, as in CommonMark
    return found


def _after_front_matter(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0
