"""Fixtures: the real site built once per session, with and without drafts."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from site_builder import ARTICLE, REPO, SLUG, Build, build, copy_sources


@pytest.fixture(scope="session")
def production_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    result = build(REPO, tmp_path_factory.mktemp("production") / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def preview_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The site with drafts built (BLOG_DRAFTS=true), as the author previews it."""
    result = build(REPO, tmp_path_factory.mktemp("preview") / "site", drafts=True)
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The production build of a copy where the article says ``draft: false``."""
    project = copy_sources(tmp_path_factory.mktemp("published"))
    article = project / ARTICLE
    text = article.read_text(encoding="utf-8")
    assert "\ndraft: true\n" in text
    article.write_text(text.replace("\ndraft: true\n", "\ndraft: false\n"), encoding="utf-8")
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    return result


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def article(preview_site: Build) -> BeautifulSoup:
    return soup(preview_site.site / "posts" / SLUG / "index.html")
