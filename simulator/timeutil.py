"""Time helpers: everything is epoch seconds (int) in UTC inside the simulator."""

from datetime import UTC, date, datetime, timedelta

DAY = 86400
WEEK = 7 * DAY


def epoch(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp())


def iso(ts: int | None) -> str | None:
    """GitHub's timestamp format: UTC with a Z suffix."""
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> int:
    """Accept `2026-01-05`, `...T10:00:00Z` or an explicit offset."""
    text = text.strip().replace(" ", "+")
    if len(text) == 10:
        text += "T00:00:00+00:00"
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return int(dt.timestamp())


def week_start(ts: int) -> date:
    """Monday of the UTC week holding ts."""
    d = datetime.fromtimestamp(ts, UTC).date()
    return d - timedelta(days=d.weekday())


def utc_date(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def git_tz(offset_min: int) -> str:
    """Offset in git's `+HHMM` form."""
    sign = "-" if offset_min < 0 else "+"
    m = abs(offset_min)
    return f"{sign}{m // 60:02d}{m % 60:02d}"
