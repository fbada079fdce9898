"""Fixtures: the site built once per session, as readers get it and with a draft added.

Used by tests/site/ and tests/browser/ (which serves the same build to Chromium).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from testkit.site_build import SLUG, Build, add_draft, build, copy_sources, soup


def built(project: Path, *, drafts: bool = False) -> Build:
    """Build a copy of the sources into its own site/; the fixtures below need it to succeed."""
    result = build(project, project / "site", drafts=drafts)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The production build (`mkdocs build`) of a copy of the sources: what readers get."""
    return built(copy_sources(tmp_path_factory.mktemp("published")))


@pytest.fixture(scope="session")
def draft_left_out(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The production build of a copy with a draft post added (tests/site/specimens/)."""
    return built(add_draft(copy_sources(tmp_path_factory.mktemp("draft-left-out"))))


@pytest.fixture(scope="session")
def draft_previewed(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The same copy built with drafts (BLOG_DRAFTS=true), as the author previews it."""
    project = add_draft(copy_sources(tmp_path_factory.mktemp("draft-previewed")))
    return built(project, drafts=True)


@pytest.fixture(scope="session")
def article(published_site: Build) -> BeautifulSoup:
    return soup(published_site.site / "posts" / SLUG / "index.html")
