"""Extract one GitHub organisation's repository list, or one repository's streams, into landing files.

Ordering keeps cursors honest: a parent stream's file (pull requests, deployments) is published only
after its children (reviews, PR commits, statuses) are, so a failure part-way publishes no cursor and
the retry reads the same window again.
"""

from __future__ import annotations

import logging
from typing import Any

from extractors.core.http import SourceSession
from extractors.core.landing import LandingWriter
from extractors.core.pagination import link_header
from extractors.core.streams import RunContext, iso_z, parse_time
from extractors.github import streams as s

log = logging.getLogger(__name__)
STREAMS = [stream.name for stream in s.ALL_STREAMS]
API_HEADERS = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}


def make_session(base_url: str, token: str | None) -> SourceSession:
    return SourceSession(base_url, token, extra_headers=API_HEADERS)


def discover_repositories(session: SourceSession, ctx: RunContext, org: str, page_size: int = 100) -> list[str]:
    """Land the org's repository list and return the full names of its live repositories."""
    names: list[str] = []
    with ctx.writer(s.REPOSITORIES.name, org) as writer:
        for page, _ in link_header(
            session,
            s.REPOSITORIES.path.format(org=org),
            {**s.REPOSITORIES.params, "per_page": page_size},
            stream="repositories",
        ):
            for repo in page:
                writer.write(repo.get("id"), repo)
                if not repo.get("archived") and repo.get("full_name"):
                    names.append(repo["full_name"])
        writer.commit(requests=session.counter.by_stream.get("repositories", 0))
    return sorted(names)


def land_repository(session: SourceSession, ctx: RunContext, repo: str) -> None:
    """For a repository named directly in the config: land its own record under scope owner/repo."""
    body, _ = session.get_json(f"/repos/{repo}", stream="repositories")
    with ctx.writer(s.REPOSITORIES.name, repo) as writer:
        writer.write(body.get("id"), body)
        writer.commit(requests=1)


def extract_repository(
    session: SourceSession, ctx: RunContext, repo: str, page_size: int = 100, streams: tuple[str, ...] | None = None
) -> dict[str, int]:
    """Land every repository stream for one repo; returns records written per stream."""
    wanted = set(streams or STREAMS)
    counts: dict[str, int] = {}
    if "commits" in wanted:
        counts["commits"] = _since_stream(session, ctx, repo, s.COMMITS, page_size, with_until=True)
    if "issues" in wanted:
        counts["issues"] = _since_stream(session, ctx, repo, s.ISSUES, page_size)
    if "pull_requests" in wanted:
        counts.update(_pull_requests(session, ctx, repo, page_size, wanted))
    if "workflow_runs" in wanted:
        counts["workflow_runs"] = _workflow_runs(session, ctx, repo, page_size)
    if "deployments" in wanted:
        counts.update(_deployments(session, ctx, repo, page_size, wanted))
    if "releases" in wanted:
        counts["releases"] = _full_stream(session, ctx, repo, s.RELEASES, page_size)
    return counts


def _pages(session: SourceSession, stream: s.Stream, params: dict[str, Any], page_size: int, **fmt: Any):
    query = {**stream.params, **params, "per_page": page_size}
    yield from link_header(session, stream.path.format(**fmt), query, stream=stream.name, items_key=stream.items_key)


def _since_stream(
    session: SourceSession, ctx: RunContext, repo: str, stream: s.Stream, page_size: int, with_until: bool = False
) -> int:
    since = ctx.since(stream.name, repo)
    params: dict[str, Any] = {"since": iso_z(since)} if since else {}
    if with_until:
        params["until"] = iso_z(ctx.window_end)
    with ctx.writer(stream.name, repo) as writer:
        for page, _ in _pages(session, stream, params, page_size, repo=repo):
            for record in page:
                if stream.time_field is None or ctx.before_end(record.get(stream.time_field)):
                    writer.write(record.get(stream.primary_key), record)
        writer.commit(cursor=iso_z(ctx.window_end), requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _full_stream(session: SourceSession, ctx: RunContext, repo: str, stream: s.Stream, page_size: int) -> int:
    with ctx.writer(stream.name, repo) as writer:
        for page, _ in _pages(session, stream, {}, page_size, repo=repo):
            for record in page:
                if ctx.before_end(record.get(stream.time_field)):
                    writer.write(record.get(stream.primary_key), record)
        writer.commit(requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _pull_requests(
    session: SourceSession, ctx: RunContext, repo: str, page_size: int, wanted: set[str]
) -> dict[str, int]:
    stream = s.PULL_REQUESTS
    since = ctx.since(stream.name, repo)
    numbers: list[int] = []
    with ctx.writer(stream.name, repo) as writer:
        for page, _ in _pages(session, stream, {}, page_size, repo=repo):
            older = False
            for pr in page:
                updated = pr.get("updated_at")
                if since is not None and updated and parse_time(updated) < since:
                    older = True
                    break
                if ctx.before_end(updated):
                    writer.write(pr.get("id"), pr)
                    if pr.get("number") is not None:
                        numbers.append(pr["number"])
            if older:
                break
        counts = {stream.name: writer.records}
        for child in (s.PULL_REQUEST_REVIEWS, s.PULL_REQUEST_COMMITS):
            if child.name in wanted:
                counts[child.name] = _children(session, ctx, repo, child, page_size, "number", numbers)
        writer.commit(cursor=iso_z(ctx.window_end), requests=session.counter.by_stream.get(stream.name, 0))
    return counts


def _deployments(
    session: SourceSession, ctx: RunContext, repo: str, page_size: int, wanted: set[str]
) -> dict[str, int]:
    stream = s.DEPLOYMENTS
    since = ctx.since(stream.name, repo)
    changed: list[int] = []
    with ctx.writer(stream.name, repo) as writer:
        for page, _ in _pages(session, stream, {}, page_size, repo=repo):
            for deployment in page:
                if not ctx.before_end(deployment.get("created_at")):
                    continue
                writer.write(deployment.get("id"), deployment)
                updated = deployment.get("updated_at")
                if since is None or updated is None or parse_time(updated) >= since:
                    changed.append(deployment["id"])
        counts = {stream.name: writer.records}
        if s.DEPLOYMENT_STATUSES.name in wanted:
            counts[s.DEPLOYMENT_STATUSES.name] = _children(
                session, ctx, repo, s.DEPLOYMENT_STATUSES, page_size, "deployment_id", changed
            )
        writer.commit(cursor=iso_z(ctx.window_end), requests=session.counter.by_stream.get(stream.name, 0))
    return counts


def _children(
    session: SourceSession,
    ctx: RunContext,
    repo: str,
    stream: s.Stream,
    page_size: int,
    key: str,
    parent_ids: list[Any],
) -> int:
    with ctx.writer(stream.name, repo) as writer:
        for parent_id in parent_ids:
            for page, _ in _pages(session, stream, {}, page_size, repo=repo, **{key: parent_id}):
                for record in page:
                    _write_child(writer, stream, record, parent_id)
        writer.commit(requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records


def _write_child(writer: LandingWriter, stream: s.Stream, record: dict[str, Any], parent_id: Any) -> None:
    record_id = record.get(stream.primary_key)
    if stream is s.PULL_REQUEST_COMMITS and record_id:
        record_id = f"{parent_id}:{record_id}"  # one commit can belong to several PRs
    writer.write(record_id, record, parent_id=parent_id)


def _workflow_runs(session: SourceSession, ctx: RunContext, repo: str, page_size: int) -> int:
    stream = s.WORKFLOW_RUNS
    since = ctx.since(stream.name, repo)
    params = {"created": f">={iso_z(since)}"} if since else {}
    with ctx.writer(stream.name, repo) as writer:
        for page, _ in _pages(session, stream, params, page_size, repo=repo):
            for run in page:
                if ctx.before_end(run.get("created_at")):
                    writer.write(run.get("id"), run)
        writer.commit(cursor=iso_z(ctx.window_end), requests=session.counter.by_stream.get(stream.name, 0))
        return writer.records
