"""Jira's timestamp rendering and JQL date literals, both in the site user's zone (DST matters)."""

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SITE_ZONE_NAME = "Europe/Berlin"
SITE_ZONE = ZoneInfo(SITE_ZONE_NAME)
DATE_FORMATS = "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'"
_LITERAL = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?: (\d{1,2}):(\d{2}))?")


def jira_time(ts: int | None) -> str | None:
    """`2026-03-01T10:00:00.000+0100`: the instant in the site zone, with that instant's offset."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, SITE_ZONE).strftime("%Y-%m-%dT%H:%M:%S.000%z")


def utc_time(ts: int) -> str:
    """Agile (sprint) dates are UTC with milliseconds."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def parse_literal(text: str) -> int:
    """A JQL date literal (minute precision at most) in the site zone -> epoch seconds.

    A wall time inside the spring-forward gap moves forward and an ambiguous autumn one takes the
    earlier (summer) offset, as java.time does; zoneinfo's fold=0 gives exactly that.
    """
    m = _LITERAL.fullmatch(text.strip())
    if not m:
        raise ValueError(text)
    year, month, day, hour, minute = (int(g) if g is not None else 0 for g in m.groups())
    return int(datetime(year, month, day, hour, minute, tzinfo=SITE_ZONE).timestamp())
