"""Turn a broken ``--8<--`` include into one build error naming the page and line.

pymdownx.snippets (``check_paths: true``) already refuses a missing file or section, but with a
traceback that names neither the page nor the line, and it silently shows a malformed include
(a trailing blank, a quote missing) as text. This hook reads every include of a page with the
project's one grammar (snippets_grammar/), checks it against the same ``base_path`` list, and
reports the first broken one as ``docs/<page>:<line>: ...``. It only reads files; nothing under
lab/ is imported or run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from shared_grammar import snippets_grammar


def include_problem(written: str, base_paths: Sequence[Path]) -> str | None:
    """What is wrong with including ``written`` (``file``, ``file:section``, ``file:1:5``)."""
    try:
        target = snippets_grammar.parse_target(written)
    except snippets_grammar.TargetError as error:
        return str(error)
    path = next((base / target.path for base in base_paths if (base / target.path).is_file()), None)
    if path is None:
        bases = ", ".join(map(str, base_paths))
        return f"includes '{written}', but '{target.path}' is in none of {bases}"
    if target.section is None:
        return None
    if target.section not in snippets_grammar.section_names(path.read_text(encoding="utf-8")):
        marker = f"--8<-- [start:{target.section}]"
        return f"includes '{written}', but it has no section '{target.section}' ({marker})"
    return None


def first_broken_include(markdown: str, base_paths: Sequence[Path]) -> tuple[int, str] | None:
    """(line, problem) of the first broken include of a page's Markdown, or None."""
    for include in snippets_grammar.includes(markdown):
        problem = include.problem or include_problem(include.written, base_paths)
        if problem:
            return include.line, problem
    return None


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    base_paths = [Path(base) for base in snippets.get("base_path", ["."])]
    broken = first_broken_include(markdown, base_paths)
    if broken:
        # Front matter lines are not part of `markdown`: count them back in.
        source = page.file.content_string
        offset = source.count("\n", 0, source.find(markdown[:80])) if markdown else 0
        line, problem = broken
        raise PluginError(f"docs/{page.file.src_uri}:{line + offset}: {problem}")
    return markdown
