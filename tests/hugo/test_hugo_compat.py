"""Every post in docs/posts/ still builds with Hugo: the blog can go back to Hugo at any time.

Each test builds the real posts with Debian's ``hugo`` (0.111.3) and the minimal layout in
tests/hugo/site/, then reads Hugo's HTML with BeautifulSoup. What is checked is what a post
must keep when it moves between the two generators: its URL ``/posts/<file>/``, its title, its
date with the author's UTC offset (a date converted to UTC would move 2023-01-15T00:03+01:00
to the 14th), its summary, that ``draft: true`` keeps it out of a normal build, and that every
image it references (Markdown images and ``cover.image``) resolves, from the page's URL, to a
file in Hugo's output.

Limitations, on purpose: the posts are written for MkDocs with pymdown-extensions, which Hugo
does not implement. ``--8<--`` snippet includes stay as literal text, ``!!! note`` admonitions
become paragraphs and ``=== "Shell"`` content tabs become plain text. These tests do not assume
any of those extensions and do not check that content; the lab tests and the MkDocs build
check it. Relative image links are resolved against the Markdown file (as MkDocs and GitHub do)
by the layout's render hook, tests/hugo/site/layouts/partials/resolve-link.html: Hugo alone
copies ``../img/02/x.png`` verbatim, which a browser on ``/posts/<file>/`` would fetch from
``/posts/img/02/x.png``.

Without ``hugo`` the tests skip with a reason locally and fail in CI (``CI=true``).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

import snippets_grammar
from testkit import hugo_site
from testkit.policy import skip_or_fail
from testkit.posts import body, front_matter

SITE_HOST = "blog.example.org"  # baseURL in tests/hugo/site/hugo.toml
FIRST_ARTICLE = "genesis-of-pod-ip-addresses"

MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def referenced_images(post: Path) -> list[str]:
    """Image destinations the post's author wrote: Markdown images outside fences, the cover."""
    images = MARKDOWN_IMAGE.findall("\n".join(snippets_grammar.lines_outside_fences(body(post))))
    cover = (front_matter(post).get("cover") or {}).get("image")
    return [*images, *([cover] if cover else [])]


def page_url(post: Path) -> str:
    return f"/posts/{post.stem}/"


def page_html(public: Path, post: Path) -> Path:
    return public / page_url(post).strip("/") / "index.html"


def resolve_from_page(public: Path, url: str, src: str) -> Path | None:
    """Where a browser on ``url`` would fetch ``src`` from, as a file of ``public``."""
    target = urlsplit(urljoin(f"https://{SITE_HOST}{url}", src))
    if target.hostname != SITE_HOST:
        return None
    return public / target.path.lstrip("/")


POSTS = [pytest.param(post, id=post.stem) for post in hugo_site.posts()]


@pytest.fixture(scope="module")
def hugo() -> str:
    binary = hugo_site.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (Debian: apt-get install hugo)")
    return binary


@pytest.fixture(scope="module")
def site(hugo: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hugo_site.prepare_site(tmp_path_factory.mktemp("hugo"))


@pytest.fixture(scope="module")
def public_with_drafts(site: Path) -> Path:
    return hugo_site.build(site, site / "public-drafts", drafts=True)


@pytest.fixture(scope="module")
def public(site: Path) -> Path:
    return hugo_site.build(site, site / "public", drafts=False)


def parse(path: Path) -> BeautifulSoup:
    assert path.is_file(), f"Hugo did not write {path}"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.parametrize("post", POSTS)
def test_hugo_renders_the_post_at_its_url_with_title_date_and_summary(
    public_with_drafts: Path, post: Path
) -> None:
    meta = front_matter(post)
    soup = parse(page_html(public_with_drafts, post))

    assert soup.find("h1").get_text(strip=True) == meta["title"]
    assert soup.title.get_text().startswith(meta["title"])

    date: dt.datetime = meta["date"]
    time = soup.find("time")
    rendered = dt.datetime.fromisoformat(time["datetime"])
    assert rendered == date
    assert rendered.utcoffset() == date.utcoffset(), "Hugo must keep the author's UTC offset"
    assert time.get_text(strip=True) == date.date().isoformat()

    if "summary" in meta:
        assert soup.find("meta", attrs={"name": "description"})["content"] == meta["summary"]


@pytest.mark.parametrize("post", POSTS)
def test_every_image_the_post_references_is_a_file_in_hugo_output(
    public_with_drafts: Path, post: Path
) -> None:
    soup = parse(page_html(public_with_drafts, post))
    rendered: dict[Path, str] = {}
    for img in soup.find("article").find_all("img"):
        target = resolve_from_page(public_with_drafts, page_url(post), img["src"])
        assert target is not None, f"{img['src']} is loaded from another host"
        assert target.is_file(), f"{img['src']} on {page_url(post)} is missing from Hugo output"
        rendered[target] = img["src"]

    # Each image the author wrote, resolved against the Markdown file like MkDocs does, is on
    # the page: Hugo dropped none of them.
    for src in referenced_images(post):
        expected = public_with_drafts / posixpath.normpath(posixpath.join("posts", src))
        assert expected in rendered, f"{post.name} references {src}; Hugo's page does not show it"


@pytest.mark.parametrize("post", POSTS)
def test_draft_posts_are_left_out_of_a_build_without_build_drafts(public: Path, post: Path) -> None:
    is_draft = bool(front_matter(post).get("draft", False))
    assert page_html(public, post).exists() is not is_draft


def test_first_article_keeps_the_url_title_and_date_it_was_published_with(
    public_with_drafts: Path,
) -> None:
    post = hugo_site.POSTS_DIR / f"{FIRST_ARTICLE}.md"
    soup = parse(public_with_drafts / "posts" / FIRST_ARTICLE / "index.html")
    meta = front_matter(post)
    assert soup.find("h1").get_text(strip=True) == meta["title"]
    time = soup.find("time")
    # The author's offset is kept: the date as written, not converted to UTC.
    assert time["datetime"] == meta["date"].isoformat()
    assert time.get_text(strip=True) == meta["date"].date().isoformat()
    cover = soup.select_one("header figure.cover img")
    assert cover is not None, "the cover image is missing from the page header"
    cover_image = meta["cover"]["image"]  # relative to the post: ../img/...
    assert cover["src"] == "/" + cover_image.removeprefix("../")
    assert cover_image in referenced_images(post)
