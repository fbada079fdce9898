"""The lab is one step away: the built page links the one repository mkdocs.yml and the README name.

A reader starts the lab from the first post: its clone line, then `vagrant up`. That line, the
theme's header link to the repository and the README's own clone line must all point at
`repo_url` of mkdocs.yml, or a reader clones something else (or nothing).
"""

from __future__ import annotations

import re

from testkit.paths import REPO

# mkdocs.yml carries YAML tags (!relative, !!python/name) that a plain YAML loader rejects, so
# the one top-level key is read as a line; a second `repo_url:` line would be a config error.
REPO_URL_LINE = re.compile(r"^repo_url:\s*(?P<url>\S+)\s*$", re.MULTILINE)
CLONE = re.compile(r"git clone (?P<url>\S+) && cd (?P<folder>\S+)")


def repo_url() -> str:
    found = REPO_URL_LINE.findall((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    assert len(found) == 1, f"mkdocs.yml: expected one repo_url line, found {found}"
    return str(found[0]).rstrip("/")


def readme_clone_line() -> str:
    lines = [
        line.removeprefix("$ ").strip()
        for line in (REPO / "README.md").read_text(encoding="utf-8").splitlines()
        if CLONE.search(line)
    ]
    assert len(lines) == 1, f"README.md: expected one clone line, found {lines}"
    return lines[0]


def page_clone_lines(article) -> list[str]:
    """The clone lines of the article's code blocks, as the reader copies them."""
    return [
        line.strip()
        for code in article.select("pre code")
        for line in code.get_text().splitlines()
        if CLONE.search(line)
    ]


def test_the_readme_clones_the_repository_that_mkdocs_yml_names():
    match = CLONE.search(readme_clone_line())
    assert match is not None
    assert match["url"] == f"{repo_url()}.git"
    assert match["folder"] == repo_url().rsplit("/", 1)[-1]


def test_the_first_post_shows_the_readmes_clone_line_before_vagrant_up(article):
    assert page_clone_lines(article) == [readme_clone_line()]
    # The command a reader copies, in order: clone, then start the VM from the clone.
    block = next(code for code in article.select("pre code") if CLONE.search(code.get_text()))
    commands = [line.strip() for line in block.get_text().splitlines()]
    assert commands.index(readme_clone_line()) < commands.index("vagrant up")


def test_the_header_links_the_repository_of_mkdocs_yml(article):
    header_link = article.select_one("a.md-source")
    assert header_link is not None, "the page has no link to the repository in its header"
    assert header_link["href"].rstrip("/") == repo_url()
