"""Fixtures for the browser tests: the built sites served on 127.0.0.1.

Chromium itself (`browser`, `open_page`, `artifacts`) is testkit.browser_fixtures', shared with
tests/browserlab/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from testkit.browsing import SPECIMENS
from testkit.site_build import Build, add_draft, build, copy_sources
from testkit.static_server import Server, serve

# `published_site`, the production build readers get, is testkit.site_fixtures' (one build per
# session, shared with tests/site/).


@pytest.fixture(scope="session")
def specimen_site(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The production build of the real sources, plus tests/browser/specimens/'s published post
    (what the article may hold: content tabs, console transcripts with continuation and heredoc
    lines) and the shared draft specimen (tests/site/specimens/), which must stay out.
    """
    project = add_draft(copy_sources(tmp_path_factory.mktemp("specimen")))
    for post in SPECIMENS.glob("*.md"):
        shutil.copy2(post, project / "docs" / "posts" / post.name)
    result = build(project, project / "site")
    assert result.returncode == 0, result.output
    return result


@pytest.fixture(scope="session")
def published_server(published_site: Build) -> Iterator[Server]:
    with serve(published_site.site) as server:
        yield server


@pytest.fixture(scope="session")
def specimen_server(specimen_site: Build) -> Iterator[Server]:
    with serve(specimen_site.site) as server:
        yield server
