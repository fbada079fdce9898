"""The audit: every shell/Python fence is included from lab/ or marked not executed, and every
transcript is shown by some page (checked on the real docs/ and on fixtures)."""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import pytest

from labrun import articles, audit
from snippets_grammar.cases import INCLUDE_CASES, MALFORMED, IncludeCase, write_files
from testkit.paths import DOCS_DIR, LAB_DIR

TRANSCRIPT = "# --8<-- [start:list]\n$ ip netns list\n# --8<-- [end:list]\n"


@pytest.fixture
def site(fixture_lab: Path) -> tuple[Path, Path]:
    (fixture_lab / "post" / "01-netns.console").write_text(TRANSCRIPT)
    (fixture_lab / "post" / "links.py").write_text("print('hi')\n")
    (fixture_lab / "post" / "02-links.console").write_text("$ python3 links.py\nhi\n")
    return fixture_lab.parent / "docs", fixture_lab


def page(docs: Path, body: str) -> Path:
    path = docs / "posts" / "post.md"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"---\ntitle: x\n---\n\n{body}", encoding="utf-8")
    return path


def messages(findings: list[audit.Finding]) -> list[str]:
    return [str(finding) for finding in findings]


def test_the_real_article_shows_only_commands_the_tests_run():
    findings = messages(audit.audit_fences(DOCS_DIR, LAB_DIR))
    assert not findings, "\n".join(findings)


def test_every_real_transcript_is_shown_by_a_page():
    findings = messages(audit.find_orphans(DOCS_DIR, LAB_DIR))
    assert not findings, "\n".join(findings)


GOOD = [
    pytest.param('```console\n--8<-- "post/01-netns.console:list"\n```\n', id="include-section"),
    pytest.param('```console\n--8<-- "post/01-netns.console"\n```\n', id="include-whole-file"),
    pytest.param('```shell\n--8<--\npost/01-netns.console:list\n--8<--\n```\n', id="block-include"),
    pytest.param('```python\n--8<-- "post/links.py"\n```\n', id="python-run-by-a-transcript"),
    pytest.param('```shell {.noexec data-reason="macOS only"}\nbrew install vagrant\n```\n', id="noexec-with-reason"),
    pytest.param('```{.bash .noexec data-reason="Windows"}\nwsl --install\n```\n', id="noexec-lang-as-class"),
    pytest.param("```yaml\nkey: value\n```\n", id="yaml-is-not-a-command"),
    pytest.param('```ruby title="Vagrantfile"\nVagrant.configure("2")\n```\n', id="ruby-without-prompt"),
]  # fmt: skip


@pytest.mark.parametrize("body", GOOD)
def test_accepted_fences(site, body):
    docs, lab = site
    page(docs, body)
    assert messages(audit.audit_fences(docs, lab)) == []


BAD = [
    pytest.param("```shell\nip netns add pod1\n```\n", "fence (line 5) is not executed", id="inline-shell"),
    pytest.param("```py\nprint(1)\n```\n", "is not executed", id="inline-python"),
    pytest.param('```console\n--8<-- "post/01-netns.console:list"\n$ ip link\n```\n', "is not executed", id="include-plus-inline-line"),
    pytest.param('!!! note\n\n    ```bash\n    ip link\n    ```\n', "is not executed", id="indented-in-admonition"),
    pytest.param('=== "Linux"\n\n    ```sh\n    ip link\n    ```\n', "is not executed", id="indented-in-content-tab"),
    pytest.param("```text\n$ ip link\n1: lo\n```\n", "'text' fence", id="prompt-in-text-fence"),
    pytest.param("```\n>>> import os\n```\n", "'untyped' fence", id="pycon-prompt-untyped"),
    pytest.param("```shell {.noexec}\nbrew install x\n```\n", "needs a reason", id="noexec-without-reason"),
    pytest.param('```shell {.noexec data-reason=""}\nbrew install x\n```\n', "needs a reason", id="noexec-empty-reason"),
    pytest.param('```console\n--8<-- "post/missing.console"\n```\n', "does not exist under lab/", id="missing-file"),
    pytest.param('```console\n--8<-- "post/01-netns.console:nope"\n```\n', "section 'nope' does not exist", id="missing-section"),
    pytest.param('```console\n--8<-- "../outside.console"\n```\n', "outside lab/", id="outside-lab"),
    pytest.param('```python\n--8<-- "post/unrun.py"\n```\n', "no transcript under lab/ runs it", id="python-never-run"),
]  # fmt: skip


@pytest.mark.parametrize(("body", "message"), BAD)
def test_rejected_fences_point_at_the_page_line(site, body, message):
    docs, lab = site
    (lab / "post" / "unrun.py").write_text("print(2)\n")
    path = page(docs, body)
    found = messages(audit.audit_fences(docs, lab))
    assert len(found) == 1, found
    assert found[0].startswith(f"{path}:")
    assert message in found[0]


def test_an_untested_fence_is_reported_at_its_first_command_line(site):
    docs, lab = site
    path = page(docs, "Intro.\n\n```shell\n\nip netns add pod1\n```\n")
    assert messages(audit.audit_fences(docs, lab))[0].startswith(f"{path}:9: ")


def test_a_transcript_no_page_shows_is_an_orphan(site):
    docs, lab = site
    page(docs, '```console\n--8<-- "post/01-netns.console:list"\n```\n')
    assert messages(audit.find_orphans(docs, lab)) == [
        f"{lab / 'post' / '02-links.console'}: transcript is not shown by any page under docs/ (orphan)"
    ]


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in INCLUDE_CASES])
def test_the_audit_reads_each_line_of_the_shared_table_as_the_grammar_does(
    fixture_lab: Path, case: IncludeCase
):
    """A good include in a console fence passes (and is listed as such); a malformed one is
    named with its problem; a line that is no include is a command the tests do not run."""
    lab = write_files(fixture_lab)
    path = page(fixture_lab.parent / "docs", f"```console\n{case.line}\n```\n")
    found = messages(audit.audit_fences(path.parent.parent, lab))
    listed = articles.includes_in(path, path.read_text(encoding="utf-8"))
    if case.expected is None:
        assert listed == []
        assert len(found) == 1 and "is not executed" in found[0]
    elif case.expected == MALFORMED:
        assert [include.problem is not None for include in listed] == [True]
        assert found == [f"{path}:6: {listed[0].problem}"]
    else:
        assert [(i.line, i.target, i.section) for i in listed] == [
            (6, case.expected.path, case.expected.section)
        ]
        assert found == []
