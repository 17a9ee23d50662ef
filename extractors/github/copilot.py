"""An organisation's GitHub Copilot streams: the seats billed now and the daily usage metrics.

Decided: Copilot is optional. An org without Copilot Business/Enterprise, with the metrics API policy off,
or a token without `manage_billing:copilot` (or `read:org`) answers 403, 404 or 422; that stream then lands
nothing, keeps its cursor and logs a warning naming the org, the stream and GitHub's message. It is not a
failed run: the repositories of the same org are unaffected. Any other error fails the org's task as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession
from extractors.core.pagination import link_header
from extractors.core.records import objects
from extractors.core.streams import RunContext, iso_z
from extractors.github import streams as s

log = logging.getLogger(__name__)
UNAVAILABLE = frozenset({403, 404, 422})  # Copilot not enabled, policy off, or the token may not see it
METRICS_HISTORY = dt.timedelta(days=100)  # the metrics API keeps the last 100 days


def extract_org(
    session: SourceSession, ctx: RunContext, org: str, page_size: int = 100, streams: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Land the org's Copilot streams (all, or those in the configured `streams`); records per stream."""
    readers = {s.COPILOT_SEATS.name: _seats, s.COPILOT_METRICS.name: _metrics}
    counts: dict[str, int] = {}
    for stream in s.ORG_STREAMS:
        if streams is None or stream.name in streams:
            counts[stream.name] = _unless_unavailable(stream.name, readers[stream.name], session, ctx, org, page_size)
    return counts


def _unless_unavailable(name: str, read: Any, session: SourceSession, ctx: RunContext, org: str, page_size: int) -> int:
    try:
        return read(session, ctx, org, page_size)
    except ExtractError as exc:
        if exc.status not in UNAVAILABLE:
            raise
        log.warning(
            "github: org %s: %s landed nothing: %s (Copilot is not enabled for the org, its metrics API policy "
            "is off, or the token lacks manage_billing:copilot / read:org)",
            org,
            name,
            exc,
        )
        return 0


def _seats(session: SourceSession, ctx: RunContext, org: str, page_size: int) -> int:
    """Every seat billed now, read whole each run (unchanged seats add no raw rows)."""
    stream = s.COPILOT_SEATS
    with ctx.writer(stream.name, org) as writer:
        path = stream.path.format(org=org)
        for page in link_header(session, path, {"per_page": page_size}, stream=stream.name, items_key=stream.items_key):
            for seat in objects(page.items, writer):
                writer.write(_seat_id(seat), seat)
        writer.commit(requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _seat_id(seat: dict[str, Any]) -> str | None:
    """One record per grant: GitHub's created_at is when the assignee was last granted access."""
    assignee = seat.get("assignee")
    user_id = assignee.get("id") if isinstance(assignee, dict) else None
    created_at = seat.get("created_at")
    if user_id in (None, "") or not created_at:
        return None  # quarantined by the writer: no primary key
    return f"{user_id}:{created_at}"


def _metrics(session: SourceSession, ctx: RunContext, org: str, page_size: int) -> int:
    """Whole UTC days in [since, window end): the day the window ends in is not over yet."""
    stream = s.COPILOT_METRICS
    end_day = ctx.window_end.astimezone(dt.UTC).date()
    oldest = end_day - METRICS_HISTORY
    since = ctx.since(stream.name, org)
    first_day = max(since.astimezone(dt.UTC).date(), oldest) if since else oldest
    with ctx.writer(stream.name, org) as writer:
        if first_day < end_day:
            params = {"since": _midnight(first_day), "until": _midnight(end_day), "per_page": page_size}
            path = stream.path.format(org=org)
            for page in link_header(session, path, params, stream=stream.name, items_key=stream.items_key):
                for day in objects(page.items, writer):
                    if _before(day.get(stream.time_field), end_day):
                        writer.write(day.get(stream.primary_key), day)
        writer.commit(cursor=_midnight(end_day), requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _before(value: Any, end_day: dt.date) -> bool:
    """A day before the end lands; an unreadable date lands too, for staging to judge and record."""
    try:
        return dt.date.fromisoformat(str(value)) < end_day
    except ValueError:
        return True


def _midnight(day: dt.date) -> str:
    return iso_z(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC))
