"""The first post states how many commands its lab has; the number is the page's own count.

Section 0 tells the reader how long the lab takes from the number of commands the page shows
("the page shows N commands"). That number must be the count of `$ ` lines in the transcript
sections the post includes, or the stated lab time drifts from the lab as transcripts change.
"""

from __future__ import annotations

import re
from pathlib import Path

import snippets_grammar
from testkit.paths import LAB_DIR, REPO
from testkit.posts import PUBLISHED

FIRST_POST = next(post for post in PUBLISHED if post.slug == "genesis-of-pod-ip-addresses")
STATED = re.compile(r"the page shows (?P<count>\d+) commands")


def included_text(target: snippets_grammar.Target) -> list[str]:
    # pymdownx.snippets' base_path: lab/ first, then the repository's root (the Vagrantfile).
    for base in (LAB_DIR, REPO):
        path: Path = base / target.path
        if path.is_file():
            return snippets_grammar.select(path.read_text(encoding="utf-8"), target)
    raise AssertionError(f"{FIRST_POST.source}: include of a missing file {target.path}")


def shown_commands(markdown: str) -> int:
    count = 0
    for include in snippets_grammar.includes(markdown):
        lines = included_text(include.target)
        count += sum(1 for line in lines if line.startswith("$ "))
    return count


def test_the_stated_number_of_commands_is_the_number_the_page_shows():
    markdown = FIRST_POST.source.read_text(encoding="utf-8")
    stated = STATED.findall(markdown)
    assert len(stated) == 1, f"{FIRST_POST.source}: expected one 'the page shows N commands'"
    assert int(stated[0]) == shown_commands(markdown)


def test_commands_are_counted_once_per_include_and_never_from_outside_a_section():
    markdown = '```console\n--8<-- "genesis-of-pod-ip-addresses/02-netns.console:create"\n```\n'
    # The section `create` shows `ip netns add`, `ip netns list` and `findmnt`: three commands.
    assert shown_commands(markdown) == 3
    assert shown_commands(markdown * 2) == 6
