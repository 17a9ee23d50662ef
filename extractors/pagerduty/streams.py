"""PagerDuty REST v2 streams declared as data: path, list key, how each is read.

- created: listed by `since`/`until` on created_at, in windows (windows.py); cursor = window end.
- log: account-wide log entries by `since`/`until`; they also say which older incidents changed.
- full: small lists read whole every run; unchanged records add no raw rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Stream:
    name: str
    path: str
    items_key: str
    incremental: str
    params: dict[str, str] = field(default_factory=dict)


INCIDENTS = Stream("incidents", "/incidents", "incidents", "created", {"time_zone": "UTC"})
LOG_ENTRIES = Stream("log_entries", "/log_entries", "log_entries", "log", {"time_zone": "UTC", "is_overview": "false"})
SERVICES = Stream("services", "/services", "services", "full")
TEAMS = Stream("teams", "/teams", "teams", "full")
USERS = Stream("users", "/users", "users", "full")
INCIDENT_PATH = "/incidents/{id}"  # one incident, re-read when a log entry says it changed

FULL_STREAMS = (SERVICES, TEAMS, USERS)
ALL_STREAMS = (INCIDENTS, LOG_ENTRIES, *FULL_STREAMS)
STREAMS = [stream.name for stream in ALL_STREAMS]
