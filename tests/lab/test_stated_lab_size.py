"""A post that states how many commands its lab has states the page's own count.

Section 0 of each post tells the reader how long the lab takes from the number of commands the
page shows ("the page shows N commands"). That number must be the count of `$ ` lines in the
transcript sections the post includes, or the stated lab time drifts from the lab as transcripts
change. Every published post is read (a new post needs no edit here); the first must state it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import snippets_grammar
from testkit.paths import LAB_DIR, REPO
from testkit.posts import PUBLISHED

FIRST_POST = next(post for post in PUBLISHED if post.slug == "genesis-of-pod-ip-addresses")
# The sentence may wrap in the Markdown source.
STATED = re.compile(r"the page\s+shows\s+(?P<count>\d+)\s+commands")


def included_text(target: snippets_grammar.Target) -> list[str]:
    # pymdownx.snippets' base_path: lab/ first, then the repository's root (the Vagrantfile).
    for base in (LAB_DIR, REPO):
        path: Path = base / target.path
        if path.is_file():
            return snippets_grammar.select(path.read_text(encoding="utf-8"), target)
    raise AssertionError(f"include of a missing file {target.path}")


def shown_commands(markdown: str) -> int:
    count = 0
    for include in snippets_grammar.includes(markdown):
        lines = included_text(include.target)
        count += sum(1 for line in lines if line.startswith("$ "))
    return count


def test_the_first_post_states_its_number_of_commands():
    assert len(STATED.findall(FIRST_POST.source.read_text(encoding="utf-8"))) == 1


@pytest.mark.parametrize("post", [pytest.param(p, id=p.slug) for p in PUBLISHED])
def test_a_stated_number_of_commands_is_the_number_the_page_shows(post):
    markdown = post.source.read_text(encoding="utf-8")
    stated = STATED.findall(markdown)
    assert len(stated) <= 1, f"{post.source}: 'the page shows N commands' more than once"
    if stated:
        assert int(stated[0]) == shown_commands(markdown), post.source


def test_commands_are_counted_once_per_include_and_never_from_outside_a_section():
    markdown = '```console\n--8<-- "genesis-of-pod-ip-addresses/02-netns.console:create"\n```\n'
    # The section `create` shows `ip netns add`, `ip netns list` and `findmnt`: three commands.
    assert shown_commands(markdown) == 3
    assert shown_commands(markdown * 2) == 6
