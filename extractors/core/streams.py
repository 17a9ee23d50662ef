"""What an extraction run needs to know about its window and where it writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.core.landing import LandingWriter
from extractors.core.state import CursorStore


def iso_z(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(dt.UTC)


def parse_time_or_none(value: Any) -> dt.datetime | None:
    """A record's ISO time, or None when it has none or one this cannot read (an RFC 2822 date, a number)."""
    try:
        return parse_time(value)
    except (TypeError, ValueError, AttributeError):
        return None


@dataclass
class RunContext:
    """One extraction run of one source: half-open window [cursor - lookback, window_end)."""

    source: str
    kind: str
    run_id: str
    window_end: dt.datetime
    landing_dir: Path
    cursors: CursorStore
    start_date: dt.datetime | None = None
    lookback: dt.timedelta = dt.timedelta(0)
    team_keys: tuple[str, ...] = ()  # the config's `teams:` keys, for a source whose records name a team

    def since(self, stream: str, scope: str) -> dt.datetime | None:
        """Lower bound for an incremental stream: last cursor minus lookback, else the start date."""
        cursor = self.cursors.get(self.source, stream, scope)
        if cursor is None:
            return self.start_date
        return parse_time(cursor) - self.lookback

    def writer(self, stream: str, scope: str) -> LandingWriter:
        return LandingWriter(self.landing_dir, self.source, self.kind, stream, scope, self.run_id)

    def before_end(self, value: Any) -> bool:
        """Half-open window: records stamped at or after window_end belong to the next run. A record with no
        or an unreadable time is landed as received: staging decides, and records the value it cannot use."""
        moment = parse_time_or_none(value)
        return moment is None or moment < self.window_end
