"""PagerDuty REST v2 streams declared as data: path, list key, how each is read.

- created: listed by `since`/`until` on created_at, in windows (windows.py); cursor = window end.
- log: account-wide log entries by `since`/`until`; they also say which older incidents changed.
- full: small lists read whole every run; unchanged records add no raw rows.
"""

from __future__ import annotations

from extractors.core.source_kind import Stream

INCIDENTS = Stream(
    "incidents", "/incidents", incremental="created", items_key="incidents", params={"time_zone": "UTC"}
)
LOG_ENTRIES = Stream(
    "log_entries",
    "/log_entries",
    incremental="log",
    items_key="log_entries",
    params={"time_zone": "UTC", "is_overview": "false"},
)
SERVICES = Stream("services", "/services", items_key="services")
TEAMS = Stream("teams", "/teams", items_key="teams")
USERS = Stream("users", "/users", items_key="users")
INCIDENT_PATH = "/incidents/{id}"  # one incident, re-read when a log entry says it changed

FULL_STREAMS = (SERVICES, TEAMS, USERS)
ALL_STREAMS = (INCIDENTS, LOG_ENTRIES, *FULL_STREAMS)
