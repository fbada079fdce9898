"""The audit: every command a page shows is executed, and every transcript is shown.

Rules (lab/README.md explains them to authors):

- A fence in an executable language (EXECUTABLE_LANGS), or any fence with a line starting with
  a `$ ` or `>>> ` prompt, must hold nothing but `--8<--` includes of files under lab/
  (sections must exist), or be marked not executed: `{.noexec data-reason="why"}`.
- A Python file a page includes must be executed by some transcript (labrun/executed.py).
- Every transcript under lab/ is included by at least one page (no orphans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import snippets_grammar
from labrun import articles, executed, transcript

EXECUTABLE_LANGS = frozenset(
    {
        "shell", "sh", "bash", "zsh", "console", "shell-session", "shellsession", "sh-session",
        "python", "py", "python3", "py3", "pycon", "powershell", "ps1", "pwsh", "bat", "cmd",
    }
)  # fmt: skip
PROMPT_RE = re.compile(r"^[ \t]*(\$|>>>)( |$)")
NOEXEC_CLASS = "noexec"
REASON_ATTR = "data-reason"


@dataclass
class Finding:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def audit_fences(docs_dir: Path, lab_dir: Path) -> list[Finding]:
    """Findings for fences that show commands the tests do not run."""
    findings: list[Finding] = []
    for page in articles.pages(docs_dir):
        text = page.read_text(encoding="utf-8")
        for fence in articles.fences_in(page, text):
            findings.extend(_check_fence(fence, lab_dir))
    return findings


def _is_executable(fence: articles.Fence) -> bool:
    return fence.lang in EXECUTABLE_LANGS or any(PROMPT_RE.match(line) for _, line in fence.body)


def _check_fence(fence: articles.Fence, lab_dir: Path) -> list[Finding]:
    where = f"{fence.page}:{fence.line}"
    if not _is_executable(fence):
        return []
    if NOEXEC_CLASS in fence.classes:
        if fence.attrs.get(REASON_ATTR, "").strip():
            return []
        return [Finding(where, f'.noexec fence needs a reason: {{.noexec {REASON_ATTR}="..."}}')]
    body = "\n".join(line for _, line in fence.body)
    includes = articles.includes_in(fence.page, body)
    include_lines = {include.line for include in includes}
    block_markers = {
        number
        for number, (_, line) in enumerate(fence.body, start=1)
        if snippets_grammar.is_block_delimiter(line)
    }
    inline = [
        (number, line)
        for index, (number, line) in enumerate(fence.body, start=1)
        if line.strip() and index not in include_lines and index not in block_markers
    ]
    if inline or not includes:
        first = inline[0][0] if inline else fence.line
        return [
            Finding(
                f"{fence.page}:{first}",
                f"'{fence.lang or 'untyped'}' fence (line {fence.line}) is not executed: show "
                "it with --8<-- includes from lab/, or mark it "
                f'{{.{NOEXEC_CLASS} {REASON_ATTR}="..."}}',
            )
        ]
    findings: list[Finding] = []
    for include in includes:
        line = fence.line + include.line
        problem = include.problem or check_include(lab_dir, include.target, include.section)
        if problem:
            findings.append(Finding(f"{fence.page}:{line}", problem))
    return findings


def check_include(lab_dir: Path, target: str, section: str | None) -> str | None:
    """What is wrong with including `target[:section]` from lab/, or None."""
    path = (lab_dir / target).resolve()
    if not path.is_relative_to(lab_dir.resolve()):
        return f"include '{target}' is outside lab/"
    if not path.is_file():
        return f"include '{target}' does not exist under lab/"
    if path.suffix == ".console":
        return _check_transcript_include(path, target, section)
    if section is not None and section not in snippets_grammar.section_names(
        path.read_text("utf-8")
    ):
        return f"section '{section}' does not exist in {target}"
    if path.suffix == ".py" and not executed.is_executed(path, lab_dir):
        return f"'{target}' is shown but no transcript under lab/ runs it (see labrun/executed.py)"
    return None


def _check_transcript_include(path: Path, target: str, section: str | None) -> str | None:
    try:
        parsed = transcript.load(path)
    except transcript.TranscriptError as error:
        return f"included transcript is malformed: {error}"
    if section is not None and section not in parsed.sections:
        return f"section '{section}' does not exist in {target}"
    return None


def transcripts(lab_dir: Path) -> list[Path]:
    return sorted(lab_dir.rglob("*.console"))


def find_orphans(docs_dir: Path, lab_dir: Path) -> list[Finding]:
    """Transcripts under lab/ that no page includes."""
    shown = {(lab_dir / include.target).resolve() for include in articles.all_includes(docs_dir)}
    return [
        Finding(str(path), "transcript is not shown by any page under docs/ (orphan)")
        for path in transcripts(lab_dir)
        if path.resolve() not in shown
    ]
