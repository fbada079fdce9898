"""The blog's published posts as their Hugo front matter describes them: what the tests expect.

Expectations come from the posts themselves, so adding a post (or changing a title, date, summary,
tag or cover) needs no edit here; only the rules (Hugo's ordering, URL shape) are written down.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import snippets_grammar
from hugo_front_matter import split_front_matter
from testkit.paths import DOCS_DIR

POSTS_DIR = DOCS_DIR / "posts"


@dataclass(frozen=True)
class Post:
    slug: str
    title: str
    date: dt.datetime
    summary: str
    tags: tuple[str, ...]
    categories: tuple[str, ...]
    cover_image: str
    cover_alt: str
    weight: int

    @property
    def path(self) -> str:
        """The post's URL path, Hugo's `/posts/<file>/`."""
        return f"posts/{self.slug}/"

    @property
    def cover_uri(self) -> str:
        """The cover's path in the site (`../img/02/x.jpeg` is `img/02/x.jpeg`)."""
        return self.cover_image.removeprefix("../")

    @property
    def source(self) -> Path:
        return POSTS_DIR / f"{self.slug}.md"


def front_matter(path: Path) -> dict:
    """A post's front matter, read as the site's hook reads it."""
    return split_front_matter(path.read_text(encoding="utf-8"), str(path))[0]


def body(path: Path) -> str:
    """A post's Markdown after its front matter."""
    return split_front_matter(path.read_text(encoding="utf-8"), str(path))[1]


def load(path: Path) -> Post:
    meta = front_matter(path)
    cover = meta.get("cover") or {}
    return Post(
        slug=path.stem,
        title=meta["title"],
        date=meta["date"],
        summary=meta["summary"],
        tags=tuple(meta.get("tags") or ()),
        categories=tuple(meta.get("categories") or ()),
        cover_image=cover.get("image", ""),
        cover_alt=cover.get("alt", ""),
        weight=int(meta.get("weight") or 0),
    )


def published() -> list[Post]:
    """Every post that `mkdocs build` publishes (drafts left out), in file-name order."""
    paths = sorted(POSTS_DIR.glob("*.md"))
    return [load(path) for path in paths if not front_matter(path).get("draft")]


def body_lines(post: Post) -> list[str]:
    """The lines of a post's Markdown after its front matter, fenced blocks left out."""
    return snippets_grammar.lines_outside_fences(body(post.source))


def headings(post: Post, level: int = 2) -> list[str]:
    """The text of a post's Markdown headings of one level, in order."""
    marker = "#" * level + " "
    return [line.removeprefix(marker) for line in body_lines(post) if line.startswith(marker)]


def image_links(post: Post) -> list[str]:
    """The targets of the images a post's Markdown shows (``![alt](target)``), in order."""
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)", "\n".join(body_lines(post)))


def noexec_reasons(post: Post) -> list[str]:
    """Why each block marked ``{.noexec data-reason="..."}`` is not run, in order."""
    text = post.source.read_text(encoding="utf-8")
    return re.findall(r'^[ \t]*```\w+ \{\.noexec data-reason="([^"]*)"\}', text, flags=re.MULTILINE)


def hugo_order(posts: list[Post]) -> list[Post]:
    """Hugo's list order: weighted posts first (lowest weight first), then newest first."""
    weighted = sorted((p for p in posts if p.weight), key=lambda p: (p.weight, -p.date.timestamp()))
    others = sorted((p for p in posts if not p.weight), key=lambda p: -p.date.timestamp())
    return weighted + others


PUBLISHED = published()
