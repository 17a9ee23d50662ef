"""PagerDuty's list limits as windows: at most 179 days each, halved at the offset cap."""

from __future__ import annotations

import datetime as dt

from extractors.pagerduty.windows import MAX_WINDOW, halves, windows

UTC = dt.UTC


def test_long_ranges_split_into_consecutive_windows_of_at_most_179_days():
    since, until = dt.datetime(2025, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 5, 6, tzinfo=UTC)
    parts = list(windows(since, until))
    assert [end - start for start, end in parts][:2] == [MAX_WINDOW, MAX_WINDOW] and len(parts) == 3
    assert parts[0][0] == since and parts[-1][1] == until
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:], strict=False))  # no gap, no overlap
    assert all(end - start <= dt.timedelta(days=179) for start, end in parts)


def test_short_and_empty_ranges():
    since = dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert list(windows(since, since + dt.timedelta(hours=1))) == [(since, since + dt.timedelta(hours=1))]
    assert list(windows(since, since)) == []


def test_halves_split_on_whole_seconds_and_stop_at_one_second():
    since = dt.datetime(2026, 1, 1, tzinfo=UTC)
    (a, b), (c, d) = halves(since, since + dt.timedelta(seconds=5))
    assert (a, b, c, d) == (
        since,
        since + dt.timedelta(seconds=2),
        since + dt.timedelta(seconds=2),
        since + dt.timedelta(seconds=5),
    )
    assert halves(since, since + dt.timedelta(seconds=1)) == ()
