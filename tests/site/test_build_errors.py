"""Mistakes in a post or an image stop `mkdocs build` with one clear line naming the file.

Each case adds a specimen post with a cover and an inline image (tests/site/specimens/) to a copy
of the real site, breaks it the way an author could, and runs the real build. The article is not
touched, so editing it breaks none of these cases.
"""

from __future__ import annotations

import re
import shutil

import pytest

from testkit.site_build import (
    DRAFT_SPECIMEN,
    ILLUSTRATED_SPECIMEN,
    SPECIMEN_IMAGES,
    SPECIMEN_IMG_DIR,
    add_draft,
    add_illustrated,
    build,
    copy_sources,
)

POST = f"docs/posts/{ILLUSTRATED_SPECIMEN.name}"
POST_URI = f"posts/{ILLUSTRATED_SPECIMEN.name}"
IMG = SPECIMEN_IMG_DIR.as_posix()
# The specimen's own lines, which the expected messages name.
DATE_LINE = "date: 2024-04-02T08:15:00+02:00"
CATEGORIES_LINE = "categories: [Linux, Networking]"
COVER_LINE = f'image: "../{IMG}/cover.jpeg"'
FIGURE_LINK = f"../{IMG}/figure.png"
LINKER = """---
title: Another post
date: 2024-02-01T10:00:00+01:00
categories: [Linux]
---

More in [the coming post](a-draft-post.md#not-published-yet).
"""


def break_specimen(old: str, new: str):
    def mutate(project):
        path = project / POST
        text = path.read_text(encoding="utf-8")
        assert old in text, f"the specimen no longer contains {old!r}: update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return mutate


def toml_front_matter(project):
    path = project / POST
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    toml = '+++\ntitle = "An illustrated post"\ndate = 2024-04-02\n+++\n'
    path.write_text(toml + body, encoding="utf-8")


def unreadable_image(project):
    (project / IMG / "broken.png").write_bytes(b"not a PNG")


def committed_webp_the_build_makes(project):
    (project / IMG / "figure.webp").write_bytes(b"RIFF....WEBP")


def two_images_one_webp(project):
    shutil.copy2(SPECIMEN_IMAGES / "cover.jpeg", project / IMG / "figure.jpeg")


def narrow_variant_without_viewbox(project):
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 240"/>'
    (project / IMG / "diagram.svg").write_text(svg, encoding="utf-8")
    (project / IMG / "diagram.narrow.svg").write_text(svg.replace(' viewBox="0 0 720 240"', ""))
    post = project / POST
    figure = f"\n![A diagram](../{IMG}/diagram.svg)\n"
    post.write_text(post.read_text(encoding="utf-8") + figure, encoding="utf-8")


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
            rf"{POST}:1: TOML front matter \(\+\+\+\) is not supported",
            id="toml-front-matter",
        ),
        pytest.param(
            break_specimen(DATE_LINE, f'date: "{DATE_LINE.removeprefix("date: ")}"'),
            rf"{POST}:3: 'date' is quoted",
            id="quoted-date",
        ),
        pytest.param(
            break_specimen(CATEGORIES_LINE, "categories: [AWS, Git]"),
            rf"{POST}:6: unknown category 'AWS'",
            id="unknown-category",
        ),
        pytest.param(
            break_specimen(COVER_LINE, f'image: "../{IMG}/covers.jpeg"'),
            rf"{POST}:8: cover image '../{IMG}/covers.jpeg' not found",
            id="missing-cover",
        ),
        pytest.param(
            break_specimen(FIGURE_LINK, f"../{IMG}/figures.png"),
            rf"Doc file '{POST_URI}' contains a link "
            rf"'../{IMG}/figures.png', but the target '{IMG}/figures.png' is not found",
            id="missing-inline-image",
        ),
        pytest.param(
            unreadable_image,
            rf"{IMG}/broken.png: not a readable image",
            id="unreadable-image",
        ),
        pytest.param(
            committed_webp_the_build_makes,
            rf"{IMG}/figure.webp is in img/, but the build makes it from {IMG}/figure.png",
            id="committed-webp",
        ),
        pytest.param(
            two_images_one_webp,
            rf"{IMG}/figure.(jpeg|png) and {IMG}/figure.(jpeg|png) "
            rf"would both make {IMG}/figure.webp",
            id="two-images-one-webp",
        ),
        pytest.param(
            published_post_links_to_a_draft,
            rf"docs/posts/another-post.md: links to draft posts/{DRAFT_SPECIMEN.name}",
            id="published-page-links-to-draft",
        ),
        pytest.param(
            narrow_variant_without_viewbox,
            rf"{IMG}/diagram.narrow.svg \(a figure of {POST}\): a narrow variant needs a viewBox",
            id="narrow-variant-without-viewbox",
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
    project = add_illustrated(copy_sources(tmp_path / "project"))
    mutate(project)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0, result.output
    errors = result.errors()
    assert any(re.search(expected, line) for line in errors), result.output


def test_the_unbroken_copy_builds(tmp_path):
    """The cases above fail because of their mutation, not because the copy is incomplete: the
    specimen builds, with its cover and figure published as WebP too."""
    project = add_illustrated(copy_sources(tmp_path / "project"))
    published_post_links_to_a_draft(project)
    result = build(project, tmp_path / "site", drafts=True)
    assert result.returncode == 0, result.output
    page = (result.site / "posts" / ILLUSTRATED_SPECIMEN.stem / "index.html").read_text()
    for name in ("cover.webp", "figure.webp"):
        assert (result.site / IMG / name).is_file(), name
        assert name in page, name
