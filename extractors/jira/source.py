"""Land a Jira site's projects, statuses and fields (plan step), and one project's issues and changelogs.

Ordering keeps cursors honest: the changelog file is published before the issues file that carries the
cursor, so a failure part-way publishes no cursor and the retry reads the same window again.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from collections.abc import Iterator
from typing import Any

from extractors.core.credentials import Credentials
from extractors.core.http import DEFAULT_MAX_PAGES, SourceSession
from extractors.core.pagination import Page, page_items, start_at
from extractors.core.records import objects
from extractors.core.streams import RunContext, iso_z
from extractors.jira import api as jira_api
from extractors.jira import changelog, jql
from extractors.jira import streams as s
from extractors.jira.fields import check_fields

log = logging.getLogger(__name__)


def make_session(base_url: str, credentials: Credentials, max_pages: int = DEFAULT_MAX_PAGES) -> SourceSession:
    """Basic base64(email:token) for Jira Cloud API tokens, Bearer for personal access tokens."""
    token = credentials.token
    headers = {"Accept": "application/json"}
    if credentials.user and token:
        basic = base64.b64encode(f"{credentials.user}:{token}".encode()).decode()
        return SourceSession(
            base_url, basic, auth_scheme="Basic", extra_headers=headers, secrets=(token,), max_pages=max_pages
        )
    return SourceSession(base_url, token, extra_headers=headers, max_pages=max_pages)


def land_site(session: SourceSession, ctx: RunContext, page_size: int, fields: dict[str, str]) -> dict[str, int]:
    """The small site-wide lists, whole, under scope `site`; warns about configured fields that do not exist."""
    api, _ = jira_api.detect(session)
    if api.cloud:
        projects = start_at(
            session, s.PROJECTS.path, {}, stream=s.PROJECTS.name, items_key="values", page_size=page_size
        )
    else:
        projects = _whole_list(session, api, s.PROJECTS)
    counts = {
        s.PROJECTS.name: _land_list(session, ctx, s.PROJECTS, projects),
        s.STATUSES.name: _land_list(session, ctx, s.STATUSES, _whole_list(session, api, s.STATUSES)),
    }
    landed_fields: list[dict[str, Any]] = []
    counts[s.FIELDS.name] = _land_list(session, ctx, s.FIELDS, _whole_list(session, api, s.FIELDS), landed_fields)
    check_fields(landed_fields, fields)
    return counts


def _land_list(
    session: SourceSession, ctx: RunContext, stream: s.Stream, pages: Iterator[Page], keep: list | None = None
) -> int:
    with ctx.writer(stream.name, s.SITE_SCOPE) as writer:
        for page in pages:
            for record in objects(page.items, writer):
                writer.write(record.get(stream.primary_key), record)
                if keep is not None:
                    keep.append(record)
        writer.commit(requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _whole_list(session: SourceSession, api: jira_api.Api, stream: s.Stream) -> Iterator[Page]:
    """An endpoint that answers its whole list at once (statuses, fields, Server/DC projects): one page."""
    body, response = session.get_json(api.path(stream.path), stream=stream.name)
    yield Page(page_items(body, None, response.url), body, response, 0)


def user_zone(myself: dict[str, Any]) -> dt.tzinfo:
    """JQL dates are read in the searching user's timezone."""
    name = myself.get("timeZone")
    if not name:
        log.warning("jira: /myself has no timeZone; writing JQL dates in UTC")
    return jql.zone(name)


def extract_project(session: SourceSession, ctx: RunContext, project: str, page_size: int = 100) -> dict[str, int]:
    """Land the project's issues updated in [cursor - lookback, window_end) and their full changelogs."""
    since = ctx.since(s.ISSUES.name, project)
    until = ctx.window_end
    api, myself = jira_api.detect(session)
    query = {"jql": jql.issue_jql(project, since, until, user_zone(myself)), "fields": "*all", "expand": "changelog"}
    newest: dt.datetime | None = None
    with ctx.writer(s.ISSUES.name, project) as issues, ctx.writer(s.ISSUE_CHANGELOGS.name, project) as histories:
        for page in jira_api.search_pages(session, api, query, page_size):
            for issue in objects(page.items, issues):
                fields = issue.get("fields")
                try:
                    moment = jql.parse_jira_time(fields.get("updated") if isinstance(fields, dict) else None)
                except ValueError as exc:
                    issues.quarantine(f"issue without a readable fields.updated: {exc}", json.dumps(issue))
                    continue
                if (since is not None and moment < since) or moment >= until:
                    continue  # the literal window is wider than the exact UTC one
                for history in objects(changelog.histories(session, api, issue, page_size), histories):
                    histories.write(history.get("id"), history, parent_id=issue.get("id"))
                issues.write(issue.get("id"), {k: v for k, v in issue.items() if k != "changelog"})
                newest = moment if newest is None or moment > newest else newest
        histories.commit(requests=session.counter.by_stream.get(s.ISSUE_CHANGELOGS.name, 0))
        # The cursor is the newest `updated` landed (not the window end): Jira's search index lags writes.
        issues.commit(
            cursor=iso_z(newest) if newest else None, requests=session.counter.by_stream.get(s.ISSUES.name, 0)
        )
        return {s.ISSUES.name: issues.records, s.ISSUE_CHANGELOGS.name: histories.records}
