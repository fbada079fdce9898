"""Fixtures: the site built once per session, as readers get it and with a draft added."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from site_builder import SLUG, Build, add_draft, build, copy_sources


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The production build (`mkdocs build`) of a copy of the sources: what readers get."""
    project = copy_sources(tmp_path_factory.mktemp("published"))
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def draft_left_out(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The production build of a copy with a draft post added (tests/site/specimens/)."""
    project = add_draft(copy_sources(tmp_path_factory.mktemp("draft-left-out")))
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def draft_previewed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The same copy built with drafts (BLOG_DRAFTS=true), as the author previews it."""
    project = add_draft(copy_sources(tmp_path_factory.mktemp("draft-previewed")))
    result = build(project, project / "site", drafts=True)
    assert result.returncode == 0, result.output
    return result


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def article(published_site: Build) -> BeautifulSoup:
    return soup(published_site.site / "posts" / SLUG / "index.html")
