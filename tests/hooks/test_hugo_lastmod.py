"""Hugo's lastmod: an update date when later than the post's date, and the feed's fallback."""

from __future__ import annotations

import datetime as dt

from hugo_lastmod import feed_lastmod, updated

PARIS = dt.timezone(dt.timedelta(hours=1))
DATE = dt.datetime(2026, 11, 30, 9, tzinfo=PARIS)


def test_a_later_lastmod_is_the_update_date_a_bare_day_at_midnight_utc():
    assert updated({"date": DATE, "lastmod": dt.date(2026, 12, 7)}) == dt.datetime(
        2026, 12, 7, tzinfo=dt.UTC
    )
    later = dt.datetime(2026, 12, 1, 8, tzinfo=PARIS)
    assert updated({"date": DATE, "lastmod": later}) == later


def test_no_update_without_lastmod_or_when_it_is_not_later():
    assert updated({"date": DATE}) is None
    assert updated({"date": DATE, "lastmod": DATE}) is None
    # The same day, earlier than the post's time: Hugo shows no update either.
    assert updated({"date": DATE, "lastmod": dt.date(2026, 11, 30)}) is None


def test_the_feed_reads_lastmod_else_the_date_as_hugo_falls_back():
    assert feed_lastmod({"date": DATE}) == DATE
    assert feed_lastmod({"date": DATE, "lastmod": dt.date(2026, 12, 7)}) == dt.date(2026, 12, 7)
