"""Posts that form a series read in order: "Part N of M", and previous/next in reading order.

A post joins a series with Hugo's ``series`` front matter key (as Hugo themes such as PaperMod
use it: ``series: [Pod networking]``, a string works too). A series' parts are its posts in the
order they were published (``date``), so a new part needs no code or template change: it becomes
the last part, and the one before it now links to it.

Material's blog plugin links each post to its neighbours in the home page's order, which
``weight`` (hooks/hugo_weight.py) and newest-first sorting turn around: part 1 offered part 2 as
"Previous". Here every post's previous and next are its neighbours in reading order, oldest
first: within its series, or among all posts when it is in none. The logic is pure functions;
``on_page_context`` only adapts them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from material.plugins.blog.structure import Post
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page


@dataclass(frozen=True)
class Part:
    """One post as a series sees it."""

    key: str  # the post's source path, unique per site
    series: str | None
    date: dt.datetime
    title: str


@dataclass(frozen=True)
class Place:
    """Where a post stands in its reading order."""

    series: str | None  # None: the post is in no series, its order is all such posts'
    number: int  # 1-based
    parts: tuple[Part, ...]

    @property
    def total(self) -> int:
        return len(self.parts)

    @property
    def previous(self) -> Part | None:
        return self.parts[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> Part | None:
        return self.parts[self.number] if self.number < self.total else None


def series_name(meta: Mapping[str, Any]) -> str | None:
    """The series a post's front matter names (hugo_front_matter.check_post validated it)."""
    value = meta.get("series")
    if isinstance(value, list):
        value = value[0] if value else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def reading_order(parts: Iterable[Part]) -> list[Part]:
    """Oldest first; the title settles two posts of the same instant, so the order is stable."""
    return sorted(parts, key=lambda part: (part.date, part.title))


def place_of(key: str, parts: Sequence[Part]) -> Place:
    """Where post ``key`` stands among ``parts``: in its series, or among the posts of none."""
    this = next(part for part in parts if part.key == key)
    order = tuple(reading_order(part for part in parts if part.series == this.series))
    return Place(this.series, order.index(this) + 1, order)


def as_part(post: Post) -> Part:
    return Part(post.file.src_uri, series_name(post.meta), post.config.date.created, post.title)


# Before Material's own templates read the page (the footer's previous/next links).
@event_priority(-90)
def on_page_context(
    context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation
) -> dict[str, Any]:
    blog = config.plugins.get("material/blog")
    if blog is None or not isinstance(page, Post):
        return context
    posts = {post.file.src_uri: post for post in blog.blog.posts}
    if page.file.src_uri not in posts:
        return context
    place = place_of(page.file.src_uri, [as_part(post) for post in posts.values()])
    page.previous_page = posts[place.previous.key] if place.previous else None
    page.next_page = posts[place.next.key] if place.next else None
    if place.series is not None:
        context["series"] = {
            "name": place.series,
            "number": place.number,
            "total": place.total,
            "parts": [posts[part.key] for part in place.parts],
        }
    return context
