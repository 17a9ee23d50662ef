"""The JQL window: UTC window -> minute literals in the user's zone, safe across Berlin's DST changes."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from extractors.core.errors import ExtractError
from extractors.jira.jql import issue_jql, lower_literal, parse_jira_time, upper_literal, zone

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC


def readings(literal: str) -> list[dt.datetime]:
    """Every UTC instant Jira could take a literal for: both sides of a DST overlap or gap."""
    local = dt.datetime.strptime(literal, "%Y/%m/%d %H:%M")
    return [local.replace(tzinfo=BERLIN, fold=fold).astimezone(UTC) for fold in (0, 1)]


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "lower", "upper"),
    [
        ("2026-01-10T09:00:00", "2026/01/10 10:00", "2026/01/10 10:00"),  # CET, on the minute
        ("2026-01-10T09:00:30", "2026/01/10 10:00", "2026/01/10 10:01"),  # floored / ceiled
        ("2026-07-10T09:00:30", "2026/07/10 11:00", "2026/07/10 11:01"),  # CEST
        # Spring forward (2026-03-29 02:00 CET -> 03:00 CEST): 02:xx does not exist.
        ("2026-03-29T00:59:30", "2026/03/29 01:59", "2026/03/29 03:00"),
        ("2026-03-29T01:00:00", "2026/03/29 03:00", "2026/03/29 03:00"),
        # Fall back (2026-10-25 03:00 CEST -> 02:00 CET): 02:xx happens twice.
        ("2026-10-25T00:30:00", "2026/10/25 01:59", "2026/10/25 02:30"),  # the first 02:30 (CEST)
        ("2026-10-25T01:30:00", "2026/10/25 02:30", "2026/10/25 03:00"),  # the second 02:30 (CET)
    ],
)
def test_literals_floor_and_ceil_to_the_minute_in_the_user_zone(moment, lower, upper):
    assert lower_literal(at(moment), BERLIN) == lower
    assert upper_literal(at(moment), BERLIN) == upper


@pytest.mark.parametrize("day", ["2026-03-29", "2026-10-25"])
def test_every_reading_of_the_literals_covers_the_utc_window_on_dst_days(day):
    start = at(f"{day}T00:00:00") - dt.timedelta(hours=3)
    for step in range(0, 6 * 3600, 7 * 60 + 13):  # every ~7 minutes through the change, odd seconds
        moment = start + dt.timedelta(seconds=step)
        assert max(readings(lower_literal(moment, BERLIN))) <= moment
        assert min(readings(upper_literal(moment, BERLIN))) >= moment
        # ... and never wider than the overlap hour plus a minute
        assert moment - min(readings(lower_literal(moment, BERLIN))) <= dt.timedelta(minutes=61)


def test_issue_jql_is_project_scoped_ordered_and_open_ended_without_a_cursor():
    since, until = at("2026-01-10T09:00:30"), at("2026-01-11T00:00:00")
    assert issue_jql("CHK", since, until, BERLIN) == (
        'project in ("CHK") AND updated >= "2026/01/10 10:00" AND updated < "2026/01/11 01:00" '
        "ORDER BY updated ASC, key ASC"
    )
    assert issue_jql("CHK", None, until, UTC) == (
        'project in ("CHK") AND updated < "2026/01/11 00:00" ORDER BY updated ASC, key ASC'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T10:00:00.000+0100", "2026-03-01T09:00:00+00:00"),
        ("2026-10-25T02:30:00.000+0200", "2026-10-25T00:30:00+00:00"),
        ("2026-10-25T02:30:00.000+0100", "2026-10-25T01:30:00+00:00"),
        ("2021-01-18T23:45:00.000+0000", "2021-01-18T23:45:00+00:00"),
        ("2026-01-01T00:00:00Z", "2026-01-01T00:00:00+00:00"),
        ("2026-01-01T05:30:00.123+05:30", "2026-01-01T00:00:00.123000+00:00"),
    ],
)
def test_jira_times_convert_to_utc(text, expected):
    assert parse_jira_time(text).isoformat() == expected


def test_time_without_offset_and_unknown_zone_are_errors():
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_jira_time("2026-01-01T00:00:00.000")
    with pytest.raises(ExtractError, match="Mars/Olympus"):
        zone("Mars/Olympus")
    assert zone(None) is UTC
