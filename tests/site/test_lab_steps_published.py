"""What the lab in the page types, as published (hooks/lab_steps.py): every post whose sections
run in the browser gets its lab-steps.json, with an entry for each console block of the page in
page order, and the commands an entry says a block shows are the very commands the block shows,
so the buttons type what the reader reads."""

from __future__ import annotations

import json

import pytest
from bs4 import Tag

from testkit.posts import PUBLISHED
from testkit.site_build import Build, soup

STEPS = "lab-steps.json"


def shown_commands(block: Tag) -> list[str]:
    """A console block's commands as the page shows them, continuation lines joined: prompts
    are `gp` spans ("$ " starts a command, "> " continues it), output `go` spans
    (hooks/console_lines.py)."""
    code = block.select_one("pre > code")
    assert code is not None
    for output in code.select(".go"):
        output.decompose()
    found: list[str] = []
    for line in code.get_text().split("\n"):
        if line == "$" or line.startswith("$ "):
            found.append(line[2:])
        elif line.startswith("> ") and found:
            found.append(f"{found.pop()}\n{line[2:]}")
    return found


@pytest.mark.parametrize("post", PUBLISHED, ids=lambda post: post.slug)
def test_each_block_types_the_commands_it_shows(published_site: Build, post) -> None:
    folder = published_site.site / post.path
    page = soup(folder / "index.html")
    runs = page.select("h2[data-lab]")
    if not runs:  # every transcript it shows declares `not-in browser`
        assert not (folder / STEPS).exists(), "a page without the lab's button got steps"
        return
    steps = json.loads((folder / STEPS).read_text(encoding="utf-8"))
    blocks = page.select("div.language-console")
    assert len(steps["blocks"]) == len(blocks)
    typed = 0
    for number, (block, entry) in enumerate(zip(blocks, steps["blocks"], strict=True)):
        if entry is None:
            continue
        transcript = steps["transcripts"][entry["transcript"]]
        shows = [transcript[index]["run"] for index in entry["shows"]]
        assert shows == shown_commands(block), f"{post.slug}: console block {number}"
        typed += 1
    assert typed, f"{post.slug}: a section runs in the browser, yet no block is typed"
