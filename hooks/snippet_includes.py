"""Turn a broken ``--8<--`` include into one build error naming the page and line.

pymdownx.snippets (``check_paths: true``) already refuses a missing file or section, but with a
traceback that names neither the page nor the line. This hook checks every single-line include
of a page first, against the same ``base_path`` list, and reports the first broken one as
``docs/<page>:<line>: ...``. It only reads files; nothing under lab/ is imported or run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# `--8<-- "path"` or `--8<-- "path:section"` alone on a line (indented inside admonitions and
# tabs); a leading `;` escapes it, as in pymdownx.snippets.
_INCLUDE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(["'])(?P<target>[^"']+)\1[ \t]*$""")
# A section name, as pymdownx.snippets accepts it; a numeric suffix is a line range instead.
_SECTION = re.compile(r":(?P<name>[a-z][-_0-9a-z]*)$", re.IGNORECASE)


def include_problem(target: str, base_paths: Sequence[Path]) -> str | None:
    """What is wrong with including ``target`` (``file`` or ``file:section``), or None."""
    section = _SECTION.search(target)
    name = target[: section.start()] if section else target
    path = next((base / name for base in base_paths if (base / name).is_file()), None)
    if path is None:
        return f"includes '{target}', but '{name}' is in none of {', '.join(map(str, base_paths))}"
    if section is None:
        return None
    marker = f"--8<-- [start:{section['name']}]"
    if marker not in path.read_text(encoding="utf-8"):
        return f"includes '{target}', but it has no section '{section['name']}' ({marker})"
    return None


def first_broken_include(markdown: str, base_paths: Sequence[Path]) -> tuple[int, str] | None:
    """(line, problem) of the first broken include of a page's Markdown, or None."""
    for number, line in enumerate(markdown.splitlines(), start=1):
        match = _INCLUDE.match(line)
        if match:
            problem = include_problem(match["target"], base_paths)
            if problem:
                return number, problem
    return None


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    base_paths = [Path(base) for base in snippets.get("base_path", ["."])]
    broken = first_broken_include(markdown, base_paths)
    if broken:
        # Front matter lines are not part of `markdown`: count them back in.
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
        offset = source.count("\n", 0, source.find(markdown[:80])) if markdown else 0
        line, problem = broken
        raise PluginError(f"docs/{page.file.src_uri}:{line + offset}: {problem}")
    return markdown
