"""Read the Markdown side: which page line includes which lab file (section), and every fence.

The syntax itself (include lines, block includes, fences and their info strings) is read by the
project's one grammar, snippets_grammar/, so fences indented inside admonitions and content tabs
count too, and the audit, the failure reports and the site's hook agree on every line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import snippets_grammar


@dataclass
class Include:
    """One `--8<--` include: the page and line, and the lab file (and section) it pulls in.

    `problem` says why the line is a malformed include (then `target` is the line as written).
    """

    page: Path
    line: int
    target: str
    section: str | None
    problem: str | None = None

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


def includes_in(page: Path, text: str) -> list[Include]:
    found: list[Include] = []
    for include in snippets_grammar.includes(text):
        if include.target is None:
            found.append(Include(page, include.line, include.written, None, include.problem))
        else:
            target = include.target
            found.append(Include(page, include.line, target.path, target.section))
    return found


def pages(docs_dir: Path) -> list[Path]:
    return sorted(docs_dir.rglob("*.md"))


def all_includes(docs_dir: Path) -> list[Include]:
    return [
        include
        for page in pages(docs_dir)
        for include in includes_in(page, page.read_text(encoding="utf-8"))
    ]


def fences_in(page: Path, text: str) -> list[Fence]:
    lines = text.splitlines()
    start = _after_front_matter(lines)
    found: list[Fence] = []
    fence: Fence | None = None
    opening: snippets_grammar.FenceOpening | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None and opening is not None:
            if opening.is_closed_by(line):
                found.append(fence)
                fence = None
            else:
                fence.body.append((index + 1, line))
            continue
        opening = snippets_grammar.fence_opening(line)
        if opening is not None:
            fence = Fence(page, index + 1, opening.lang, opening.classes, opening.attrs)
    if fence is not None:
        found.append(fence)  # unclosed: runs to the end of the page, as in CommonMark
    return found


def _after_front_matter(lines: list[str]) -> int:
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0
