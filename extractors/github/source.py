"""Extract one GitHub organisation's repository list, or one repository's streams, into landing files.

Ordering keeps cursors honest: a parent stream's file (pull requests, deployments) is published only
after its children (reviews, PR commits, statuses) are, so a failure part-way publishes no cursor and
the retry reads the same window again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from itertools import takewhile
from typing import Any

from extractors.core.http import DEFAULT_MAX_PAGES, SourceSession
from extractors.core.pagination import Page, link_header
from extractors.core.records import objects
from extractors.core.source_kind import Stream
from extractors.core.streams import RunContext, iso_z, parse_time_or_none
from extractors.github import streams as s

log = logging.getLogger(__name__)
API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def make_session(base_url: str, token: str | None, max_pages: int = DEFAULT_MAX_PAGES) -> SourceSession:
    return SourceSession(base_url, token, extra_headers=API_HEADERS, max_pages=max_pages)


def discover_repositories(session: SourceSession, ctx: RunContext, org: str, page_size: int = 100) -> list[str]:
    """Land the org's repository list and return the full names of its live repositories."""
    names: list[str] = []
    with ctx.writer(s.REPOSITORIES.name, org) as writer:
        for page in link_header(
            session,
            s.REPOSITORIES.path.format(org=org),
            {**s.REPOSITORIES.params, "per_page": page_size},
            stream="repositories",
        ):
            for repo in objects(page.items, writer):
                writer.write(repo.get("id"), repo)
                if not repo.get("archived") and repo.get("full_name"):
                    names.append(repo["full_name"])
        writer.commit(requests=session.counter.by_stream.get("repositories", 0))
    return sorted(names)


def land_repository(session: SourceSession, ctx: RunContext, repo: str) -> None:
    """For a repository named directly in the config: land its own record under scope owner/repo."""
    body, _ = session.get_json(f"/repos/{repo}", stream="repositories")
    with ctx.writer(s.REPOSITORIES.name, repo) as writer:
        for record in objects([body], writer):
            writer.write(record.get("id"), record)
        writer.commit(requests=1)


def extract_repository(
    session: SourceSession, ctx: RunContext, repo: str, page_size: int = 100, streams: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Land the repository's streams as streams.py declares them (all, or the configured `streams`);
    children are read inside their parent's run. Returns records written per stream."""
    wanted = set(streams or (stream.name for stream in s.REPOSITORY_STREAMS))
    counts: dict[str, int] = {}
    listed: dict[str, int] = {}  # records each stream listed (landed or not), for the streams `only_beside` it
    for stream in s.REPOSITORY_STREAMS:
        if stream.parent is None and stream.name in wanted:
            if stream.only_beside and not listed.get(stream.only_beside):
                counts[stream.name] = 0
                continue
            counts.update(_read(session, ctx, repo, stream, page_size, wanted, listed))
    return counts


def _pages(
    session: SourceSession, stream: Stream, params: dict[str, Any], page_size: int, **fmt: Any
) -> Iterator[Page]:
    query = {**stream.params, **params, "per_page": page_size}
    return link_header(session, stream.path.format(**fmt), query, stream=stream.name, items_key=stream.items_key)


def _read(
    session: SourceSession,
    ctx: RunContext,
    repo: str,
    stream: Stream,
    page_size: int,
    wanted: set[str],
    listed_by_stream: dict[str, int],
) -> dict[str, int]:
    """One stream of one repository in the run's window, then its children for the records that changed."""
    children = [child for child in s.REPOSITORY_STREAMS if child.parent == stream.name and child.name in wanted]
    parent_keys = {child.parent_key for child in children}
    since = ctx.since(stream.name, repo)
    listed_since = since - stream.open_for if since is not None else None
    window = WINDOW_PARAMS[stream.incremental](listed_since, ctx.window_end)
    changed: list[dict[str, Any]] = []  # of each changed record, the fields its children's paths need
    with ctx.writer(stream.name, repo) as writer:
        for page in _pages(session, stream, window, page_size, repo=repo):
            records = list(objects(page.items, writer))
            listed = len(records)
            listed_by_stream[stream.name] = listed_by_stream.get(stream.name, 0) + listed
            if stream.incremental == "updated_desc":
                records = list(takewhile(lambda record: not _older(record, stream, since), records))
            for record in records:
                if not ctx.before_end(record.get(stream.time_field) if stream.time_field else None):
                    continue
                writer.write(record.get(stream.primary_key), record)
                if parent_keys and not _older(record, stream, since):
                    changed.append({key: record.get(key) for key in parent_keys})
            if len(records) < listed:
                break  # newest-updated first: the rest is older than the cursor
        counts = {stream.name: writer.records}
        for child in children:
            counts[child.name] = _children(session, ctx, repo, child, page_size, changed)
        keeps_cursor = stream.incremental != "full" or bool(children)
        writer.commit(
            cursor=iso_z(ctx.window_end) if keeps_cursor else None,
            requests=session.counter.by_stream.get(stream.name, 0),
        )
    return counts


def _older(record: dict[str, Any], stream: Stream, since: Any) -> bool:
    """Last changed before the cursor (minus lookback): its children were landed by an earlier run."""
    updated = parse_time_or_none(record.get(stream.updated_field)) if stream.updated_field else None
    return since is not None and updated is not None and updated < since


def _children(
    session: SourceSession, ctx: RunContext, repo: str, stream: Stream, page_size: int, parents: list[dict[str, Any]]
) -> int:
    with ctx.writer(stream.name, repo) as writer:
        for parent_id in (parent[stream.parent_key] for parent in parents if parent[stream.parent_key] is not None):
            for page in _pages(session, stream, {}, page_size, repo=repo, parent=parent_id):
                for record in objects(page.items, writer):
                    record_id = record.get(stream.primary_key)
                    if stream.id_scoped_to_parent and record_id:
                        record_id = f"{parent_id}:{record_id}"  # one commit can belong to several PRs
                    writer.write(record_id, record, parent_id=parent_id)
        writer.commit(requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _since(since: Any, until: Any) -> dict[str, str]:
    return {"since": iso_z(since)} if since else {}


# incremental mode -> the query that applies the window [since, until) (streams.py documents the modes)
WINDOW_PARAMS = {
    "since": _since,
    "since_until": lambda since, until: {**_since(since, until), "until": iso_z(until)},
    "created": lambda since, until: {"created": f">={iso_z(since)}"} if since else {},
    "updated_desc": lambda since, until: {},
    "full": lambda since, until: {},
}
