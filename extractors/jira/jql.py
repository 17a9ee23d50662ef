"""The JQL window: an exact UTC half-open window [since, until) written in the user's timezone.

JQL date literals are minute-precision local times of the searching user's zone (GET /myself
`timeZone`), so the literal window is widened (lower bound floored, upper bound ceiled to the minute,
and moved past any DST gap or overlap so every reading of the literal still covers the UTC window);
the extractor then keeps only issues whose exact `updated` lies in the UTC window.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from extractors.core.errors import ExtractError

JQL_FORMAT = "%Y/%m/%d %H:%M"
_MINUTE = dt.timedelta(minutes=1)
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})$")


def zone(name: str | None) -> dt.tzinfo:
    if not name:
        return dt.UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ExtractError(f"Jira /myself timeZone {name!r} is not a known IANA zone") from exc


def _readings(local: dt.datetime, tz: dt.tzinfo) -> list[dt.datetime]:
    """Every UTC instant a naive local time can mean: two in a DST overlap or gap, else one."""
    return [local.replace(tzinfo=tz, fold=fold).astimezone(dt.UTC) for fold in (0, 1)]


def lower_literal(since: dt.datetime, tz: dt.tzinfo) -> str:
    local = since.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)
    while max(_readings(local, tz)) > since:  # ambiguous: step back out of the overlap
        local -= _MINUTE
    return local.strftime(JQL_FORMAT)


def upper_literal(until: dt.datetime, tz: dt.tzinfo) -> str:
    local = until.astimezone(tz).replace(tzinfo=None)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + _MINUTE
    while min(_readings(local, tz)) < until:  # in a gap or overlap: step forward out of it
        local += _MINUTE
    return local.strftime(JQL_FORMAT)


def issue_jql(project: str, since: dt.datetime | None, until: dt.datetime, tz: dt.tzinfo) -> str:
    clauses = [f'project in ("{project}")']
    if since is not None:
        clauses.append(f'updated >= "{lower_literal(since, tz)}"')
    clauses.append(f'updated < "{upper_literal(until, tz)}"')
    return " AND ".join(clauses) + " ORDER BY updated ASC, key ASC"


def parse_jira_time(value: object) -> dt.datetime:
    """Jira's `2026-03-01T10:00:00.000+0100` (or `Z`, or `+01:00`) as an aware UTC datetime."""
    if not isinstance(value, str):
        raise ValueError(f"expected a Jira timestamp string, got {type(value).__name__} {value!r}")
    text = value.strip().replace("Z", "+00:00")
    text = _OFFSET.sub(lambda m: f"{m.group(1)}{m.group(2)}:{m.group(3)}", text)
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(f"Jira time {value!r} has no UTC offset")
    return parsed.astimezone(dt.UTC)
