"""Posts sort like Hugo's default: weighted first by ascending weight, then newest first."""

from __future__ import annotations

import datetime as dt

from hugo_weight import hugo_sort_key


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
