"""PagerDuty's list limits, made into plain windows.

The API refuses a since/until range longer than about six months, and offset + limit may not pass
10,000 (classic pagination): longer ranges are cut into windows of at most 179 days, and a window that
still has `more` at the offset cap is halved and each half read again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

MAX_WINDOW = dt.timedelta(days=179)
OFFSET_CAP = 10_000
DEFAULT_HISTORY = dt.timedelta(days=365)  # first run without start_date: one year back


Window = tuple[dt.datetime, dt.datetime]


def windows(since: dt.datetime, until: dt.datetime, size: dt.timedelta = MAX_WINDOW) -> Iterator[Window]:
    """Consecutive half-open windows covering [since, until), none longer than `size`."""
    start = since
    while start < until:
        end = min(start + size, until)
        yield start, end
        start = end


def halves(since: dt.datetime, until: dt.datetime) -> tuple[Window, ...]:
    """Split a window at its midpoint (whole seconds: the API's since/until have second precision)."""
    middle = since + dt.timedelta(seconds=(until - since).total_seconds() // 2)
    if middle <= since or middle >= until:
        return ()
    return (since, middle), (middle, until)
