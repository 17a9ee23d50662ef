"""since/until handling shared by /incidents and /log_entries: defaults, parsing and the 6-month cap."""

from datetime import UTC, datetime

from simulator.timeutil import DAY, parse_iso

DEFAULT_DAYS = 30  # without since/until PagerDuty shows the last month only


class InputError(ValueError):
    pass


def _add_months(ts: int, months: int) -> int:
    d = datetime.fromtimestamp(ts, UTC)
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    day = min(d.day, [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return int(d.replace(year=year, month=month, day=day).timestamp())


def _parse(name: str, value: str) -> int:
    try:
        return parse_iso(value)
    except ValueError:
        raise InputError(f"{name.capitalize()} must be a valid ISO8601 date") from None


def time_range(query: dict, now: int, default_window: bool = True) -> tuple[int | None, int | None]:
    """[since, until) in epoch seconds; (None, None) for date_range=all or when there is no default window."""
    if (query.get("date_range") or [""])[-1] == "all":
        return None, None
    since_raw, until_raw = (query.get("since") or [""])[-1], (query.get("until") or [""])[-1]
    if not since_raw and not until_raw and not default_window:
        return None, None
    until = _parse("until", until_raw) if until_raw else now
    since = _parse("since", since_raw) if since_raw else until - DEFAULT_DAYS * DAY
    if since > until:
        raise InputError("Since must be before until")
    if until > _add_months(since, 6):
        raise InputError("The maximum range between since and until is 6 months")
    return since, until
