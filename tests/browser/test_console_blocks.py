"""The copy-button test's reading of console blocks agrees with the shared `--8<--` table."""

from __future__ import annotations

from pathlib import Path

import pytest

from snippets_grammar.cases import INCLUDE_CASES, MALFORMED, IncludeCase, write_files
from testkit.console_blocks import console_blocks


@pytest.mark.parametrize("case", [pytest.param(case, id=case.id) for case in INCLUDE_CASES])
def test_console_blocks_read_each_line_of_the_shared_table_as_the_grammar_does(
    tmp_path: Path, case: IncludeCase
):
    """A good include becomes what pymdownx.snippets shows, a line that is no include stays
    (an escaped one less its `;`), a malformed one is an error naming the page line."""
    write_files(tmp_path / "lab")
    page = tmp_path / "docs" / "posts" / "post.md"
    page.parent.mkdir(parents=True)
    page.write_text(f"# Post\n\n```console\n{case.line}\n```\n", encoding="utf-8")
    if case.expected == MALFORMED:
        with pytest.raises(ValueError, match=f"^{page}:4: "):
            console_blocks(page, tmp_path)
    elif case.expected is None:
        assert console_blocks(page, tmp_path) == [case.line.removeprefix(";")]
    else:
        assert console_blocks(page, tmp_path) == ["\n".join(case.shows)]
