"""Mistakes in a post or an image stop `mkdocs build` with one clear line naming the file.

Each case breaks a copy of the real site the way an author could, and runs the real build.
"""

from __future__ import annotations

import re

import pytest

from testkit.paths import REPO
from testkit.site_build import ARTICLE, DRAFT_SPECIMEN, add_draft, build, copy_sources

ARTICLE_PATH = ARTICLE.as_posix()
# The article's own date line (`date: 2026-...`), whatever the author's date is today.
DATE_LINE = next(
    line
    for line in (REPO / ARTICLE).read_text(encoding="utf-8").splitlines()
    if line.startswith("date: ")
)
QUOTED_DATE_LINE = f'date: "{DATE_LINE.removeprefix("date: ")}"'
LINKER = """---
title: Another post
date: 2024-02-01T10:00:00+01:00
categories: [Linux]
---

More in [the coming post](a-draft-post.md#not-published-yet).
"""


def break_article(old: str, new: str):
    def mutate(project):
        path = project / ARTICLE
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the article no longer contains {old!r}: update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def toml_front_matter(project):
    path = project / ARTICLE
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    toml = '+++\ntitle = "Kubernetes: genesis of pod IP addresses"\ndate = 2023-01-15\n+++\n'
    path.write_text(toml + body, encoding="utf-8")


def unreadable_image(project):
    (project / "img" / "02" / "broken.png").write_bytes(b"not a PNG")


def committed_webp_the_build_makes(project):
    (project / "img" / "02" / "curl.webp").write_bytes(b"RIFF....WEBP")


def two_images_one_webp(project):
    (project / "img" / "02" / "curl.jpeg").write_bytes((project / "img/02/cover.jpeg").read_bytes())


def json_feed_enabled(project):
    path = project / "mkdocs.yml"
    text = path.read_text(encoding="utf-8")
    assert "json_feed_enabled: false" in text
    path.write_text(text.replace("json_feed_enabled: false", "json_feed_enabled: true"))


def published_post_links_to_a_draft(project):
    add_draft(project)
    (project / "docs" / "posts" / "another-post.md").write_text(LINKER, encoding="utf-8")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(
            toml_front_matter,
            rf"{ARTICLE_PATH}:1: TOML front matter \(\+\+\+\) is not supported",
            id="toml-front-matter",
        ),
        pytest.param(
            break_article(DATE_LINE, QUOTED_DATE_LINE),
            rf"{ARTICLE_PATH}:3: 'date' is quoted",
            id="quoted-date",
        ),
        pytest.param(
            break_article("categories: [Kubernetes, Networking]", "categories: [AWS, Git]"),
            rf"{ARTICLE_PATH}:6: unknown category 'AWS'",
            id="unknown-category",
        ),
        pytest.param(
            break_article('image: "../img/02/cover.jpeg"', 'image: "../img/02/covers.jpeg"'),
            rf"{ARTICLE_PATH}:\d+: cover image '../img/02/covers.jpeg' not found",
            id="missing-cover",
        ),
        pytest.param(
            break_article("../img/02/curl.png", "../img/02/curls.png"),
            r"Doc file 'posts/genesis-of-pod-ip-addresses.md' contains a link "
            r"'../img/02/curls.png', but the target 'img/02/curls.png' is not found",
            id="missing-inline-image",
        ),
        pytest.param(
            unreadable_image,
            r"img/02/broken.png: not a readable image",
            id="unreadable-image",
        ),
        pytest.param(
            committed_webp_the_build_makes,
            r"img/02/curl.webp is in img/, but the build makes it from img/02/curl.png",
            id="committed-webp",
        ),
        pytest.param(
            two_images_one_webp,
            r"img/02/curl.(jpeg|png) and img/02/curl.(jpeg|png) would both make img/02/curl.webp",
            id="two-images-one-webp",
        ),
        pytest.param(
            published_post_links_to_a_draft,
            rf"docs/posts/another-post.md: links to draft posts/{DRAFT_SPECIMEN.name}",
            id="published-page-links-to-draft",
        ),
        pytest.param(
            json_feed_enabled,
            r"mkdocs.yml: plugins: rss: json_feed_enabled: true publishes JSON feeds that "
            r"hooks/rss_feed.py does not tidy",
            id="json-feed-untidied",
        ),
    ],
)
def test_a_broken_post_fails_the_build_with_one_line_naming_the_file(tmp_path, mutate, expected):
    project = copy_sources(tmp_path / "project")
    mutate(project)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0, result.output
    errors = result.errors()
    assert any(re.search(expected, line) for line in errors), result.output


def test_the_unbroken_copy_builds(tmp_path):
    """The cases above fail because of their mutation, not because the copy is incomplete."""
    project = copy_sources(tmp_path / "project")
    published_post_links_to_a_draft(project)
    result = build(project, tmp_path / "site", drafts=True)
    assert result.returncode == 0, result.output
