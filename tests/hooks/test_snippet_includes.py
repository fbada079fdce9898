"""A broken include is reported with the page line, before pymdownx.snippets' traceback."""

from __future__ import annotations

import pytest

from snippet_includes import first_broken_include, include_problem
from snippets_grammar.cases import INCLUDE_CASES, MALFORMED, IncludeCase, write_files

TRANSCRIPT = "# --8<-- [start:create]\n$ ip netns add pod1\n# --8<-- [end:create]\n"


@pytest.fixture
def lab(tmp_path):
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "02-netns.console").write_text(TRANSCRIPT)
    return tmp_path


def test_existing_file_and_section_are_fine(lab):
    assert include_problem("post/02-netns.console:create", [lab]) is None
    assert include_problem("post/02-netns.console", [lab]) is None


def test_a_later_base_path_is_searched_too(lab, tmp_path_factory):
    first = tmp_path_factory.mktemp("empty")
    assert include_problem("post/02-netns.console", [first, lab]) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        pytest.param("post/02-netns.console:delete", "has no section 'delete'", id="section"),
        pytest.param("post/03-veth.console:create", "'post/03-veth.console' is in none", id="file"),
    ],
)
def test_missing_file_or_section_is_named(lab, target, expected):
    assert expected in include_problem(target, [lab])


def test_the_first_broken_include_comes_with_its_line_even_inside_a_tab(lab):
    markdown = (
        "# Title\n\n"
        '=== "Shell"\n\n'
        "    ```console\n"
        '    --8<-- "post/02-netns.console:create"\n'
        "    ```\n\n"
        '=== "Python"\n\n'
        "    ```console\n"
        '    --8<-- "post/02-netns.console:nope"\n'
        "    ```\n"
        ';--8<-- "escaped/is/not/an/include"\n'
    )
    line, problem = first_broken_include(markdown, [lab])
    assert line == 12
    assert "no section 'nope'" in problem


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in INCLUDE_CASES])
def test_the_hook_reads_each_line_of_the_shared_table_as_the_grammar_does(
    case: IncludeCase, tmp_path_factory
):
    """A good include passes when its file is there and is named when it is not; a malformed
    one is always named; a line that is no include is left alone."""
    lab = write_files(tmp_path_factory.mktemp("lab"))
    empty = tmp_path_factory.mktemp("empty")
    markdown = f"# Title\n\n```console\n{case.line}\n```\n"
    with_files = first_broken_include(markdown, [lab])
    without_files = first_broken_include(markdown, [empty])
    if case.expected is None:
        assert (with_files, without_files) == (None, None)
    elif case.expected == MALFORMED:
        assert with_files == without_files
        assert with_files is not None and with_files[0] == 4
    else:
        assert with_files is None
        assert without_files is not None and without_files[0] == 4
        assert f"'{case.expected.path}' is in none of {empty}" in without_files[1]
