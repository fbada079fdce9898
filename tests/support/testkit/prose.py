"""Words a reader reads in one section of a post's Markdown: prose only, no code, no includes.

Counted: paragraphs, list items, tables, admonition text. Not counted: fenced code blocks (at any
indentation, so fences inside admonitions and tabs too), `--8<--` include lines, images, the
admonition and tab marker lines themselves, and HTML comments. A word is a whitespace-separated
token holding at least one letter or digit, so a lone `|` or `---` is not one.
"""

from __future__ import annotations

import re

import snippets_grammar

SKIPPED_LINE = re.compile(r"^\s*(--8<--|!\[|!!! |\?\?\?\+? |=== \"|<!--)")
WORD = re.compile(r"\w")


def section(markdown: str, heading_prefix: str) -> str:
    """The text of the `## ` section whose heading starts with heading_prefix (e.g. '## 5.')."""
    lines = markdown.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(heading_prefix)), None)
    if start is None:
        raise ValueError(f"no section starts with {heading_prefix!r}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "\n".join(lines[start:end])


def prose_lines(markdown: str) -> list[str]:
    """The lines of markdown a reader reads as prose."""
    return [
        line
        for line in snippets_grammar.lines_outside_fences(markdown)
        if not SKIPPED_LINE.match(line)
    ]


def word_count(markdown: str) -> int:
    return sum(1 for line in prose_lines(markdown) for token in line.split() if WORD.search(token))
