"""What the console blocks of a page show, read from its Markdown, and the commands in them.

The copy-button test compares the clipboard with this: the blocks' text is rebuilt from the
Markdown and the lab transcripts it includes (the way pymdownx.snippets does), and the commands
are what the lab's own parser (lab/labrun/transcript.py) reads in it. Neither comes from the page.
"""

from __future__ import annotations

import re
from pathlib import Path

from labrun import transcript

FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*console\b")
INCLUDE = re.compile(r'^--8<--\s+"(?P<target>[^"]+)"\s*$')
# pymdownx.snippets' section markers, in any comment syntax: `# --8<-- [start:name]`.
SECTION = re.compile(
    r"-+8<-+[ \t]+\[[ \t]*(?P<kind>start|end)[ \t]*:[ \t]*(?P<name>[-_\w]+)[ \t]*\]"
)


def console_blocks(markdown: Path, project: Path) -> list[str]:
    """The text of each ``console`` fence of ``markdown``, in page order, includes resolved."""
    blocks: list[str] = []
    lines = markdown.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE_OPEN.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent, fence = opening["indent"], opening["fence"]
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != fence:
            line = lines[index][len(indent) :] if lines[index].startswith(indent) else ""
            include = INCLUDE.match(line)
            body.extend(included(project, include["target"]) if include else [line])
            index += 1
        index += 1
        blocks.append("\n".join(body))
    return blocks


def included(project: Path, target: str) -> list[str]:
    """The lines pymdownx.snippets puts in place of ``--8<-- "file[:section]"``."""
    name, _, section = target.partition(":")
    for base in (project / "lab", project):  # mkdocs.yml: snippets base_path
        path = base / name
        if path.is_file():
            return section_lines(path.read_text(encoding="utf-8").splitlines(), section)
    raise FileNotFoundError(f"snippet {target!r} is in neither {project / 'lab'} nor {project}")


def section_lines(lines: list[str], section: str) -> list[str]:
    """A named section (the whole file when ``section`` is empty), marker lines dropped."""
    inside = not section
    kept = []
    for line in lines:
        marker = SECTION.search(line)
        if marker is None:
            if inside:
                kept.append(line)
        elif marker["name"] == section:
            inside = marker["kind"] == "start"
            if not inside:
                return kept
    if section:
        raise ValueError(f"no section {section!r} (or no end marker)")
    return kept


def commands(block: str) -> str:
    """The commands a reader types for a shown transcript: no prompt, no output."""
    parsed = transcript.parse(Path("<block>"), block)
    return "\n".join(command.text for command in parsed.commands)
