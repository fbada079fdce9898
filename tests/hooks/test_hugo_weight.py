"""Posts sort like Hugo's default: weighted first by ascending weight, then newest first."""

from __future__ import annotations

import datetime as dt
import inspect

from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import View

from hugo_weight import blog_views, hugo_sort_key

THEME_CHANGED = (
    "Material's BlogPlugin._resolve_views(view) changed: it is the private call "
    "hooks/hugo_weight.py's blog_views() makes to list the blog's views; find the theme's new "
    "way to list them and change blog_views() alone"
)


def day(n: int) -> dt.datetime:
    return dt.datetime(2023, 1, n, tzinfo=dt.UTC)


def test_weighted_posts_come_first_lightest_first_then_the_rest_newest_first():
    posts = [
        {"title": "old", "date": day(1)},
        {"title": "heavy", "date": day(2), "weight": "998"},
        {"title": "new", "date": day(9)},
        {"title": "light", "date": day(3), "weight": 5},
        {"title": "zero is unweighted", "date": day(5), "weight": 0},
    ]
    ordered = [post["title"] for post in sorted(posts, key=hugo_sort_key)]
    assert ordered == ["light", "heavy", "new", "zero is unweighted", "old"]


def test_dates_with_offsets_compare_as_instants():
    paris = dt.timezone(dt.timedelta(hours=1))
    early = {"title": "a", "date": dt.datetime(2023, 1, 15, 0, 30, tzinfo=paris)}  # 23:30 UTC
    late = {"title": "b", "date": dt.datetime(2023, 1, 14, 23, 45, tzinfo=dt.UTC)}
    assert [p["title"] for p in sorted([early, late], key=hugo_sort_key)] == ["b", "a"]


def test_materials_private_view_walk_keeps_the_name_and_signature_blog_views_calls() -> None:
    walk = getattr(BlogPlugin, "_resolve_views", None)
    assert walk is not None, THEME_CHANGED
    assert list(inspect.signature(walk).parameters) == ["self", "view"], THEME_CHANGED
    assert inspect.isgeneratorfunction(walk), THEME_CHANGED


def view(*children: View) -> View:
    """A bare View holding only what the walk reads: its child views."""
    made = View.__new__(View)
    made.views = list(children)
    return made


def test_blog_views_lists_every_view_home_first_then_each_subtree() -> None:
    page_2 = view()
    archive_2023 = view(page_2)
    category = view()
    home = view(archive_2023, category)
    blog = BlogPlugin.__new__(BlogPlugin)
    blog.blog = home
    walked = [id(found) for found in blog_views(blog)]
    assert walked == [id(home), id(archive_2023), id(page_2), id(category)], THEME_CHANGED
