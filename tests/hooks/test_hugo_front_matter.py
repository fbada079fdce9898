"""Hugo front matter: parsing, the one-line errors, and the translation to Material metadata."""

from __future__ import annotations

import datetime as dt

import pytest

from hugo_front_matter import (
    FrontMatterError,
    check_post,
    cover_markdown,
    cover_uri,
    first_problem,
    read_front_matter,
    split_front_matter,
    translate,
)

POST = """---
title: "Kubernetes: genesis of pod IP addresses"
date: 2023-01-15T00:03:07+01:00
summary: "Containers and Network Namespaces"
tags: [Container, Kubernetes]
categories: [Kubernetes]
weight: "998"
showToc: true
draft: true
cover:
  image: "../img/02/cover.jpeg"
  alt: "topology"
---

## 0. Introduction
"""

ALLOWED = ["Kubernetes", "Networking"]


def problem_of(
    text: str, existing: frozenset[str] = frozenset({"img/02/cover.jpeg"})
) -> str | None:
    return first_problem(
        text,
        path="docs/posts/p.md",
        post_uri="posts/p.md",
        allowed_categories=ALLOWED,
        file_exists=existing.__contains__,
    )


def test_a_hugo_post_reads_with_its_date_offset_kept():
    meta = read_front_matter(POST, "docs/posts/p.md")
    assert meta["date"] == dt.datetime(
        2023, 1, 15, 0, 3, 7, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert meta["cover"]["image"] == "../img/02/cover.jpeg"


def test_the_article_front_matter_has_no_problem():
    assert problem_of(POST) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '+++\ntitle = "x"\ndate = 2023-01-15\n+++\n',
            "docs/posts/p.md:1: TOML front matter (+++) is not supported; rewrite it as YAML",
            id="toml",
        ),
        pytest.param(
            POST.replace("date: 2023-01-15T00:03:07+01:00", 'date: "2023-01-15T00:03:07+01:00"'),
            "docs/posts/p.md:3: 'date' is quoted ('2023-01-15T00:03:07+01:00'); write it unquoted",
            id="quoted-date",
        ),
        pytest.param(
            POST.replace("categories: [Kubernetes]", "categories: [AWS]"),
            "docs/posts/p.md:6: unknown category 'AWS'; allowed: Kubernetes, Networking",
            id="unknown-category",
        ),
        pytest.param(
            POST.replace("cover.jpeg", "missing.jpeg"),
            "docs/posts/p.md:10: cover image '../img/02/missing.jpeg' not found "
            "(looked for img/02/missing.jpeg)",
            id="missing-cover",
        ),
        pytest.param(
            POST.replace('weight: "998"', "weight: heavy"),
            "docs/posts/p.md:7: 'weight' must be an integer, not 'heavy'",
            id="bad-weight",
        ),
        pytest.param(
            POST.replace("showToc: true", "showToc: yes please"),
            "docs/posts/p.md:8: 'showToc' must be true or false",
            id="bad-showtoc",
        ),
        pytest.param(
            POST.replace('title: "Kubernetes: genesis of pod IP addresses"\n', ""),
            "docs/posts/p.md:1: a post needs a non-empty 'title'",
            id="no-title",
        ),
        pytest.param(
            POST.replace("tags: [Container, Kubernetes]", "tags: [Container"),
            "docs/posts/p.md:6: invalid YAML front matter",
            id="broken-yaml",
        ),
        pytest.param(
            POST.replace("showToc: true", 'showToc: true\nlastmod: "2023-02-01"'),
            "docs/posts/p.md:9: 'lastmod' is quoted ('2023-02-01'); write it unquoted",
            id="quoted-lastmod",
        ),
        pytest.param(
            POST.replace("showToc: true", "showToc: true\nlastmod: 2023-01-14"),
            "docs/posts/p.md:9: 'lastmod' (2023-01-14) is before the post's 'date' (2023-01-15)",
            id="lastmod-before-date",
        ),
        pytest.param(
            POST.replace("showToc: true", "showToc: true\nseries: [One, Two]"),
            "docs/posts/p.md:9: 'series' must name one series, e.g. [Pod networking]",
            id="two-series",
        ),
        pytest.param(
            "# just markdown\n", "docs/posts/p.md:1: a post must start with YAML", id="none"
        ),
        pytest.param("---\ntitle: x\n", "docs/posts/p.md:1: front matter is not closed", id="open"),
    ],
)
def test_bad_front_matter_is_one_line_naming_file_and_line(text, expected):
    problem = problem_of(text)
    assert problem is not None
    assert problem.startswith(expected)
    assert "\n" not in problem


def test_translate_gives_hugo_keys_their_meaning():
    meta = read_front_matter(POST.replace("showToc: true", "showToc: false"), "p.md")
    meta["hide"] = ["navigation"]
    out = translate(meta, post_uri="posts/p.md")
    assert out["description"] == "Containers and Network Namespaces"
    assert out["hide"] == ["navigation", "toc"]
    assert out["cover_uri"] == "img/02/cover.jpeg"
    assert out["weight"] == 998
    assert out["template"] == "hugo-post.html"


def test_translate_keeps_the_toc_and_an_explicit_description():
    meta = read_front_matter(POST, "p.md") | {"description": "mine"}
    out = translate(meta, post_uri="posts/p.md")
    assert "hide" not in out
    assert "description" not in out


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        pytest.param("../img/02/cover.jpeg", "img/02/cover.jpeg", id="hugo-relative"),
        pytest.param("/img/02/cover.jpeg", "img/02/cover.jpeg", id="site-absolute"),
        pytest.param("cover.jpeg", "posts/cover.jpeg", id="beside-post"),
    ],
)
def test_cover_paths_resolve_like_hugo(image, expected):
    assert cover_uri("posts/p.md", image) == expected


def test_cover_markdown_shows_image_alt_and_caption_unless_hidden():
    cover = {"image": "../img/02/cover.jpeg", "alt": "a [topology]", "caption": "The lab"}
    markdown = cover_markdown(cover)
    assert "![a [topology\\]](../img/02/cover.jpeg){ loading=eager fetchpriority=high }" in markdown
    assert "<figcaption>The lab</figcaption>" in markdown
    assert cover_markdown(cover | {"hidden": True}) == ""
    assert cover_markdown({}) == ""


def test_check_post_reports_every_problem_not_only_the_first():
    meta = read_front_matter(POST, "p.md") | {"draft": "no", "categories": ["AWS", "Git"]}
    keys = [
        key
        for key, _ in check_post(
            meta, post_uri="posts/p.md", allowed_categories=ALLOWED, file_exists=lambda uri: True
        )
    ]
    assert keys == ["draft", "categories", "categories"]


def test_toml_error_is_a_front_matter_error():
    with pytest.raises(FrontMatterError, match=r"p\.md:1: TOML"):
        read_front_matter("+++\n+++\n", "p.md")


def test_split_front_matter_gives_the_header_and_the_markdown_after_it_unchanged() -> None:
    text = "\ufeff---\r\ntitle: T\r\n---\r\n\r\n## Heading\r\nbody ---\n"
    meta, body = split_front_matter(text, "docs/posts/p.md")
    assert meta == {"title": "T"}
    assert body == "\r\n## Heading\r\nbody ---\n"
