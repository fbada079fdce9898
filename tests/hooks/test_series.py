"""A series reads oldest first; a new part becomes the last one with no code change."""

from __future__ import annotations

import datetime as dt

import pytest

from series import Part, place_of, reading_order, series_name


def day(n: int) -> dt.datetime:
    return dt.datetime(2026, 11, n, 9, tzinfo=dt.UTC)


PART_1 = Part("posts/genesis.md", "Pod networking", day(1), "Genesis")
PART_2 = Part("posts/cni.md", "Pod networking", day(2), "Writing a CNI plugin")
ALONE = Part("posts/other.md", None, day(3), "Something else")
OLDER_ALONE = Part("posts/old.md", None, day(1), "Old news")


def test_parts_are_numbered_oldest_first_whatever_the_order_given():
    place = place_of(PART_1.key, [PART_2, ALONE, PART_1])
    assert (place.series, place.number, place.total) == ("Pod networking", 1, 2)
    assert place.previous is None
    assert place.next == PART_2
    second = place_of(PART_2.key, [PART_2, ALONE, PART_1])
    assert (second.number, second.previous, second.next) == (2, PART_1, None)


def test_a_third_part_becomes_the_last_and_the_second_links_to_it():
    part_3 = Part("posts/across-nodes.md", "Pod networking", day(20), "Pods across nodes")
    second = place_of(PART_2.key, [PART_1, PART_2, part_3, ALONE])
    assert (second.number, second.total, second.next) == (2, 3, part_3)
    assert place_of(part_3.key, [part_3, PART_2, PART_1]).number == 3


def test_a_post_in_no_series_reads_among_the_posts_in_none():
    place = place_of(ALONE.key, [PART_1, ALONE, PART_2, OLDER_ALONE])
    assert place.series is None
    assert [part.key for part in place.parts] == [OLDER_ALONE.key, ALONE.key]
    assert place.previous == OLDER_ALONE


def test_two_parts_of_the_same_instant_keep_a_stable_order():
    twin = Part("posts/twin.md", "Pod networking", day(1), "A twin")
    assert reading_order([PART_1, twin]) == reading_order([twin, PART_1]) == [twin, PART_1]


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        pytest.param({"series": ["Pod networking"]}, "Pod networking", id="hugo-list"),
        pytest.param({"series": " Pod networking "}, "Pod networking", id="string"),
        pytest.param({"series": []}, None, id="empty-list"),
        pytest.param({}, None, id="none"),
    ],
)
def test_series_name_reads_hugos_list_or_a_string(meta, expected):
    assert series_name(meta) == expected
