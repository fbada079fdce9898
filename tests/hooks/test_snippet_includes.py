"""A broken include is reported with the page line, before pymdownx.snippets' traceback."""

from __future__ import annotations

import pytest

from snippet_includes import first_broken_include, include_problem

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
