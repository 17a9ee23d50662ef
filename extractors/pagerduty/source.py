"""Land one PagerDuty account: services, teams, users (whole), incidents and log entries (windowed).

Incidents are read by created_at in [cursor - lookback, window_end); changes to OLDER incidents
(acknowledged, resolved, escalated later) are found through the account-wide log entries of the same
window: every incident a log entry touches that the created_at window did not already land is re-read
with GET /incidents/{id}. An incremental run so makes requests only for what changed.
The log entries file is published before the incidents file that carries the cursor, so a failure
part-way publishes no cursor and the retry reads the same window again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.http import DEFAULT_MAX_PAGES, SourceSession
from extractors.core.landing import LandingWriter
from extractors.core.pagination import offset_more
from extractors.core.records import objects
from extractors.core.streams import RunContext, iso_z
from extractors.pagerduty import streams as s
from extractors.pagerduty import windows as w

log = logging.getLogger(__name__)
API_HEADERS = {"Accept": "application/vnd.pagerduty+json;version=2"}


def make_session(base_url: str, credentials: Credentials, max_pages: int = DEFAULT_MAX_PAGES) -> SourceSession:
    """PagerDuty's REST API key scheme: `Authorization: Token token=<key>`."""
    token = f"token={credentials.token}" if credentials.token else None
    return SourceSession(
        base_url,
        token,
        auth_scheme="Token",
        extra_headers=API_HEADERS,
        secrets=(credentials.token,),
        max_pages=max_pages,
    )


def extract_account(session: SourceSession, ctx: RunContext, account: str, page_size: int = 100) -> dict[str, int]:
    counts = {stream.name: _full(session, ctx, account, stream, page_size) for stream in s.FULL_STREAMS}
    since = ctx.since(s.INCIDENTS.name, account) or ctx.window_end - w.DEFAULT_HISTORY
    until = ctx.window_end
    with ctx.writer(s.INCIDENTS.name, account) as incidents, ctx.writer(s.LOG_ENTRIES.name, account) as entries:
        landed: set[str] = set()
        for incident in objects(windowed(session, s.INCIDENTS, since, until, page_size), incidents):
            if incident.get("id") not in landed and ctx.before_end(incident.get("created_at")):
                incidents.write(incident.get("id"), incident)
                landed.add(incident.get("id"))
        touched = _land_log_entries(session, ctx, entries, since, until, page_size)
        for incident_id in [i for i in touched if i not in landed]:
            incident = _incident(session, incident_id)
            if incident is not None:
                incidents.write(incident.get("id"), incident)
        counts[s.LOG_ENTRIES.name] = entries.records
        counts[s.INCIDENTS.name] = incidents.records
        entries.commit(requests=session.counter.by_stream.get(s.LOG_ENTRIES.name, 0))
        incidents.commit(cursor=iso_z(until), requests=session.counter.by_stream.get(s.INCIDENTS.name, 0))
    return counts


def _land_log_entries(
    session: SourceSession,
    ctx: RunContext,
    writer: LandingWriter,
    since: dt.datetime,
    until: dt.datetime,
    page_size: int,
) -> list[str]:
    """Land the window's log entries; return the incidents they touch, in first-seen order."""
    seen: set[str] = set()
    touched: dict[str, None] = {}
    for entry in objects(windowed(session, s.LOG_ENTRIES, since, until, page_size), writer):
        if entry.get("id") in seen or not ctx.before_end(entry.get("created_at")):
            continue
        seen.add(entry.get("id"))
        incident = entry.get("incident")
        incident_id = incident.get("id") if isinstance(incident, dict) else None
        writer.write(entry.get("id"), entry, parent_id=incident_id)
        if incident_id:
            touched[incident_id] = None
    return list(touched)


def _incident(session: SourceSession, incident_id: str) -> dict[str, Any] | None:
    try:
        body, response = session.get_json(s.INCIDENT_PATH.format(id=incident_id), stream=s.INCIDENTS.name)
    except ExtractError as exc:
        if exc.status == 404:  # merged or deleted since the log entry was written
            log.warning("pagerduty: incident %s is gone (404); its log entries are kept", incident_id)
            return None
        raise
    incident = body.get("incident") if isinstance(body, dict) else None
    if not isinstance(incident, dict):
        raise ExtractError(f"{response.url}: expected an object in key 'incident' of the response body")
    return incident


def windowed(
    session: SourceSession, stream: s.Stream, since: dt.datetime, until: dt.datetime, page_size: int
) -> Iterator[dict[str, Any]]:
    """Every record of [since, until) in windows the API accepts; a halved window repeats records (dedupe by id)."""
    for start, end in w.windows(since, until):
        yield from _window(session, stream, start, end, page_size)


def _window(
    session: SourceSession, stream: s.Stream, since: dt.datetime, until: dt.datetime, page_size: int
) -> Iterator[dict[str, Any]]:
    """One window's records; halved instead when it holds more than the API's offset cap lets us page."""
    params = {**stream.params, "since": iso_z(since), "until": iso_z(until)}
    pages = offset_more(
        session,
        stream.path,
        params,
        stream=stream.name,
        items_key=stream.items_key,
        limit=page_size,
        first_page_params={"total": "true"},  # lets a window known to be too large split before paging it
    )
    for page in pages:
        total = page.body.get("total")
        if page.position == 0 and isinstance(total, int) and not isinstance(total, bool) and total > w.OFFSET_CAP:
            yield from _split(session, stream, since, until, page_size)
            return
        yield from page.items
        next_offset = page.position + len(page.items)
        if page.items and page.body.get("more") and next_offset + page_size > w.OFFSET_CAP:
            yield from _split(session, stream, since, until, page_size)  # repeats what was yielded: deduped by id
            return


def _split(
    session: SourceSession, stream: s.Stream, since: dt.datetime, until: dt.datetime, page_size: int
) -> Iterator[dict[str, Any]]:
    parts = w.halves(since, until)
    if not parts:
        raise ExtractError(
            f"pagerduty {stream.name}: more than {w.OFFSET_CAP} records between {iso_z(since)} and {iso_z(until)}; "
            "the API cannot page past that"
        )
    log.info("pagerduty %s: %s..%s exceeds the offset cap; halving", stream.name, iso_z(since), iso_z(until))
    for start, end in parts:
        yield from _window(session, stream, start, end, page_size)


def _full(session: SourceSession, ctx: RunContext, account: str, stream: s.Stream, page_size: int) -> int:
    with ctx.writer(stream.name, account) as writer:
        for page in offset_more(
            session, stream.path, dict(stream.params), stream=stream.name, items_key=stream.items_key, limit=page_size
        ):
            for record in objects(page.items, writer):
                writer.write(record.get("id"), record)
        writer.commit(requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records
