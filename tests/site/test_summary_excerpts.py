"""A post with a summary is not converted a second time for the post lists.

hooks/summary_excerpts.py gives the excerpt Material renders for the lists the post's title
and summary, which is all overrides/partials/post.html shows of it. The build runs in this
process so the excerpts can be read after it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from testkit.posts import PUBLISHED, headings
from testkit.site_build import SLUG, copy_sources


@pytest.fixture(scope="module")
def excerpts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each post's excerpt HTML, by post file name, after a build of a copy of the sources."""
    project = copy_sources(tmp_path_factory.mktemp("excerpts"))
    previous = Path.cwd()
    os.chdir(project)  # mkdocs.yml's paths (hooks/, lab/) are relative to it
    try:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
        config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
        build(config)
    finally:
        os.chdir(previous)
    blog = config.plugins["material/blog"]
    return {Path(post.file.src_uri).stem: post.excerpt.content for post in blog.blog.posts}


def test_the_excerpt_of_a_post_with_a_summary_is_its_title_and_summary(excerpts):
    excerpt = excerpts[SLUG]
    post = next(post for post in PUBLISHED if post.slug == SLUG)
    assert post.summary in excerpt
    assert "<pre" not in excerpt, "the excerpt holds the post's code: it was rendered whole"
    first_section = headings(post)[0]
    assert first_section.split(". ", 1)[-1] not in excerpt
