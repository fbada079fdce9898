"""Mark the sections of a post whose transcripts run in the reader's browser, and say why the
others do not (issue #25: the lab in the page).

A section is what an ``##`` heading opens. The transcripts it shows are known from its
``--8<--`` includes (read with snippets_grammar, as pymdownx.snippets reads them); a transcript
runs in the browser lab unless it declares ``#lab: not-in browser <reason>`` (read with
snippets_grammar too: building the site imports no lab code). On the page:

- a section with at least one such transcript gets ``data-lab`` on its heading, holding the
  URL of the lab VM's instructions (the Vagrant path, for when the browser cannot run it);
  docs/assets/try-in-browser.js turns that into the "Try it in your browser" button, and
  nothing else is written: a button without the script could do nothing;
- a section showing a transcript that declares ``not-in browser`` gets a short note after its
  heading with the declared reason and a link to the lab VM's instructions.

Which blocks the lab types, and how, is published apart (hooks/lab_steps.py reads this plan):
the page's first load carries none of it.

The Markdown and the HTML are matched by order: the n-th ``##`` heading is the n-th ``<h2``, the
n-th console fence the n-th console block (lab-steps.json counts blocks so). A count that
differs is a build error, never a control put under the wrong section or a block typed for
another.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

# MkDocs puts hooks/ on sys.path while it loads a hook.
from shared_grammar import snippets_grammar

ENVIRONMENT = "browser"
TRANSCRIPT_SUFFIX = ".console"
_HEADING = re.compile(r"^## ")
_H2_OPEN = re.compile(r"<h2\b")
_CONSOLE_BLOCK = re.compile(r'<div class="language-console\b')


class LabControlsError(ValueError):
    """The page's Markdown and HTML do not line up: no control can be placed safely."""


@dataclass
class Section:
    """What one ``##`` section of a post shows: its transcripts, split by where they run."""

    runs: list[str] = field(default_factory=list)
    reasons: dict[str, str] = field(default_factory=dict)  # transcript -> declared reason

    @property
    def mixed(self) -> bool:
        return bool(self.runs) and bool(self.reasons)


@dataclass
class Plan:
    sections: list[Section]  # one per ``##`` heading, in order
    blocks_out: list[bool]  # one per console fence, in order: True when it is not to be typed
    # One per console fence, in order: the transcripts' sections it includes
    # (hooks/lab_steps.py reads which steps each block shows).
    block_includes: list[list[snippets_grammar.Target]] = field(default_factory=list)


def read_plan(markdown: str, reason_of: Callable[[str], str | None]) -> Plan:
    """Each ``##`` section's transcripts and each console fence's, from a page's Markdown;
    ``reason_of(target path)`` is the transcript's declared ``not-in browser`` reason or None."""
    sections: list[Section] = []
    fences: list[tuple[int, list[snippets_grammar.Target]]] = []  # (section index, includes)
    opening: snippets_grammar.FenceOpening | None = None
    body: list[str] = []
    for line in markdown.splitlines():
        if opening is None:
            opening = snippets_grammar.fence_opening(line)
            body = []
            if opening is None and _HEADING.match(line):
                sections.append(Section())
        elif opening.is_closed_by(line):
            targets = _transcripts(body)
            if opening.lang == "console":
                fences.append((len(sections) - 1, targets))
            if sections:
                for path in sorted({target.path for target in targets}):
                    _classify(sections[-1], path, reason_of(path))
            opening = None
        else:
            body.append(line)
    blocks_out = [
        index >= 0
        and sections[index].mixed
        and any(target.path in sections[index].reasons for target in targets)
        for index, targets in fences
    ]
    return Plan(sections, blocks_out, [targets for _, targets in fences])


def _transcripts(lines: list[str]) -> list[snippets_grammar.Target]:
    """The transcripts a fence's body includes, in order."""
    included = snippets_grammar.includes("\n".join(lines))
    return [
        include.target
        for include in included
        if include.target is not None and include.target.path.endswith(TRANSCRIPT_SUFFIX)
    ]


def _classify(section: Section, path: str, reason: str | None) -> None:
    if reason is None:
        if path not in section.runs:
            section.runs.append(path)
    else:
        section.reasons[path] = reason


def transcript_reader(base_paths: Sequence[Path]) -> Callable[[str], str | None]:
    """A transcript's text by the path an include writes, from the first base path holding it
    (as pymdownx.snippets finds it), or None."""

    def read(written: str) -> str | None:
        for base in base_paths:
            path = base / written
            if path.is_file():
                return path.read_text(encoding="utf-8")
        return None

    return read


def declared_reason(read: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """``reason_of`` for read_plan, from a transcript_reader."""

    def reason_of(written: str) -> str | None:
        text = read(written)
        return None if text is None else snippets_grammar.declared_not_in(text).get(ENVIRONMENT)

    return reason_of


def page_plan(page: Page, config: MkDocsConfig) -> tuple[Plan, Callable[[str], str | None]]:
    """A page's plan, and the reader of the transcripts it includes (from pymdownx.snippets'
    base paths in mkdocs.yml)."""
    snippets = config.mdx_configs.get("pymdownx.snippets", {})
    read = transcript_reader([Path(base) for base in snippets.get("base_path", ["."])])
    return read_plan(page.markdown or "", declared_reason(read)), read


def note(section: Section, lab_vm_url: str) -> str:
    """The paragraph a section showing declared transcripts gets after its heading."""
    reasons = list(dict.fromkeys(section.reasons.values()))
    which = "Part of this section" if section.runs else "This section"
    because = "; ".join(html.escape(reason, quote=False) for reason in reasons)
    return (
        f'<p class="lab-note">{which} cannot run in your browser: {because}. '
        f'<a href="{html.escape(lab_vm_url)}">Follow it in the lab VM</a>.</p>'
    )


def mark_sections(content: str, plan: Plan, lab_vm_url: str) -> str:
    """The article's HTML with its sections' lab markup (module docstring)."""
    headings = list(_H2_OPEN.finditer(content))
    blocks = list(_CONSOLE_BLOCK.finditer(content))
    if len(headings) != len(plan.sections):
        raise LabControlsError(
            f"{len(plan.sections)} '## ' headings in the Markdown, {len(headings)} <h2> in the HTML"
        )
    if len(blocks) != len(plan.blocks_out):
        raise LabControlsError(
            f"{len(plan.blocks_out)} console fences in the Markdown, "
            f"{len(blocks)} console blocks in the HTML"
        )
    edits: list[tuple[int, str]] = []
    for match, section in zip(headings, plan.sections, strict=True):
        if section.runs:
            edits.append((match.end(), f' data-lab="{html.escape(lab_vm_url)}"'))
        if section.reasons:
            after_heading = content.index("</h2>", match.end()) + len("</h2>")
            edits.append((after_heading, note(section, lab_vm_url)))
    for position, text in sorted(edits, reverse=True):
        content = content[:position] + text + content[position:]
    return content


def mark_page(content: str, page: Page, config: MkDocsConfig) -> str:
    """A page's content with its lab markup; the lab VM's instructions are the site-relative
    URL ``extra.lab_vm_instructions`` of mkdocs.yml names."""
    plan, _ = page_plan(page, config)
    if not any(section.runs or section.reasons for section in plan.sections):
        return content
    target = config.extra.get("lab_vm_instructions")
    if not target:
        raise LabControlsError("mkdocs.yml's extra.lab_vm_instructions names no page")
    path, hash_mark, fragment = str(target).partition("#")
    return mark_sections(content, plan, get_relative_url(path, page.url) + hash_mark + fragment)
