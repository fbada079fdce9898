"""What the console blocks of a page show, read from its Markdown, and the commands in them.

The copy-button test compares the clipboard with this: the blocks' text is rebuilt from the
Markdown and the lab files it includes, read with the project's one `--8<--` grammar
(snippets_grammar/, the way pymdownx.snippets reads them), and the commands are what the lab's
own parser (lab/labrun/transcript.py) reads in it. Neither comes from the page.
"""

from __future__ import annotations

from pathlib import Path

import snippets_grammar
from labrun import transcript


def console_blocks(markdown: Path, project: Path) -> list[str]:
    """The text of each ``console`` fence of ``markdown``, in page order, includes resolved."""
    blocks: list[str] = []
    lines = markdown.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = snippets_grammar.fence_opening(lines[index])
        index += 1
        if opening is None or opening.lang != "console":
            continue
        body: list[str] = []
        while index < len(lines) and not opening.is_closed_by(lines[index]):
            line = lines[index]
            line = line[len(opening.indent) :] if line.startswith(opening.indent) else ""
            body.extend(shown_instead(project, line, f"{markdown}:{index + 1}"))
            index += 1
        index += 1
        blocks.append("\n".join(body))
    return blocks


def shown_instead(project: Path, line: str, where: str) -> list[str]:
    """The lines the page shows for one Markdown line: what it includes, or the line itself."""
    include = snippets_grammar.include_on(line)
    if include is None:
        return [snippets_grammar.shown_as_text(line)]
    if include.target is None:
        raise ValueError(f"{where}: {include.problem}")
    return included(project, include.target)


def included(project: Path, target: snippets_grammar.Target) -> list[str]:
    """The lines pymdownx.snippets puts in place of an include of ``target``."""
    for base in (project / "lab", project):  # mkdocs.yml: snippets base_path
        path = base / target.path
        if path.is_file():
            return snippets_grammar.select(path.read_text(encoding="utf-8"), target)
    raise FileNotFoundError(f"snippet {target} is in neither {project / 'lab'} nor {project}")


def commands(block: str) -> str:
    """The commands a reader types for a shown transcript: no prompt, no output."""
    parsed = transcript.parse(Path("<block>"), block)
    return "\n".join(command.text for command in parsed.commands)
