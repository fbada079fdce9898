"""The grammar reads every case of the shared table as pymdownx.snippets does (or refuses it)."""

# Table cases read best one per line.
# ruff: noqa: E501

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from pymdownx.snippets import SnippetMissingError

import snippets_grammar as grammar
from snippets_grammar.cases import (
    FILES,
    INCLUDE_CASES,
    MALFORMED,
    MARKER_CASES,
    IncludeCase,
    MarkerCase,
    write_files,
)

INCLUDES = [pytest.param(case, id=case.id) for case in INCLUDE_CASES]
MARKERS = [pytest.param(case, id=case.id) for case in MARKER_CASES]


def pymdownx_page(base: Path, text: str) -> list[str]:
    """What pymdownx.snippets makes of ``text``, configured as mkdocs.yml configures it."""
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": {"base_path": [str(base)], "check_paths": True}},
    )
    return md.preprocessors["snippet"].run(text.splitlines())


@pytest.mark.parametrize("case", INCLUDES)
def test_the_grammar_reads_each_include_line_as_the_table_says(case: IncludeCase):
    found = grammar.includes(case.line)
    if case.expected is None:
        assert found == []
    elif case.expected == MALFORMED:
        assert [(include.target, bool(include.problem)) for include in found] == [(None, True)]
    else:
        assert [(include.line, include.target) for include in found] == [(1, case.expected)]


@pytest.mark.parametrize("case", [c for c in INCLUDES if c.values[0].expected != MALFORMED])
def test_pymdownx_snippets_shows_what_the_grammar_selects(tmp_path: Path, case: IncludeCase):
    page = pymdownx_page(write_files(tmp_path), case.line)
    if isinstance(case.expected, grammar.Target):
        indent = case.line[: len(case.line) - len(case.line.lstrip())]
        assert grammar.select(FILES[case.expected.path], case.expected) == list(case.shows)
        assert page == [indent + line for line in case.shows]
    else:
        assert page in ([case.line], [case.line.replace(";", "", 1)])


@pytest.mark.parametrize("case", [c for c in INCLUDES if c.values[0].expected == MALFORMED])
def test_pymdownx_snippets_never_includes_a_file_for_a_malformed_line(tmp_path, case):
    """What the grammar refuses, pymdownx.snippets fails on or shows as text: an include that
    silently is not one."""
    try:
        page = pymdownx_page(write_files(tmp_path), case.line)
    except SnippetMissingError:
        return
    assert page == [case.line]


@pytest.mark.parametrize("case", MARKERS)
def test_the_grammar_reads_each_marker_as_the_table_says(case: MarkerCase):
    assert grammar.section_marker(case.line) == case.expected
    assert grammar.looks_like_marker(case.line)


@pytest.mark.parametrize("case", MARKERS)
def test_pymdownx_snippets_drops_exactly_the_marker_lines(tmp_path: Path, case: MarkerCase):
    (tmp_path / "file.txt").write_text(f"before\n{case.line}\nafter\n", encoding="utf-8")
    page = pymdownx_page(tmp_path, '--8<-- "file.txt"')
    shown = grammar.select(f"before\n{case.line}\nafter\n", grammar.Target("file.txt"))
    assert page == shown
    assert len(shown) == (4 if case.expected is None else 3)  # a final newline ends in ""


def test_a_block_include_reads_one_target_per_line_and_skips_comments():
    text = (
        "intro\n--8<--\npost/02-netns.console:create\n\n"
        ";post/skipped.console\npost/netns.py:1:5\n--8<--\n"
    )
    assert [(include.line, include.target) for include in grammar.includes(text)] == [
        (3, grammar.Target("post/02-netns.console", section="create")),
        (6, grammar.Target("post/netns.py", lines=":1:5")),
    ]


def test_a_missing_section_is_a_key_error():
    with pytest.raises(KeyError):
        grammar.select(FILES["post/netns.py"], grammar.Target("post/netns.py", "nope"))


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        pytest.param("console", ("console", [], {}), id="language"),
        pytest.param('shell {.noexec data-reason="macOS"}', ("shell", ["noexec"], {"data-reason": "macOS"}), id="braces"),
        pytest.param("{.bash .noexec data-reason='Windows'}", ("bash", ["noexec"], {"data-reason": "Windows"}), id="language-as-class"),
        pytest.param('ruby title="Vagrantfile"', ("ruby", [], {"title": "Vagrantfile"}), id="bare-attribute"),
        pytest.param("", ("", [], {}), id="untyped"),
    ],
)  # fmt: skip
def test_a_fence_info_string_gives_language_classes_and_attributes(info, expected):
    opening = grammar.fence_opening(f"    ```{info}")
    assert opening is not None
    assert (opening.lang, opening.classes, opening.attrs) == expected
    assert opening.indent == "    "
    assert opening.is_closed_by("    ````") and not opening.is_closed_by("    ``")


def test_lines_outside_fences_leave_out_every_fenced_block_at_any_indentation() -> None:
    text = (
        "prose 1\n"
        "```console\n$ inside\n```\n"
        "!!! note\n"
        "    note prose\n"
        "    ~~~~text\n    inside too\n    ~~~~\n"
        "````\n```\nstill inside a longer fence\n````\n"
        "prose 2\n"
    )
    assert grammar.lines_outside_fences(text) == [
        "prose 1",
        "!!! note",
        "    note prose",
        "prose 2",
    ]
