"""How the pipeline runs GitHub: plan lists org repositories (landing `repositories`) and returns each repository
and, when an org stream (Copilot) is wanted, each org as a scope; extract lands one repository (`owner/repo`) or
one org's streams (a scope without a slash)."""

from __future__ import annotations

import logging

from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.streams import RunContext
from extractors.github import copilot, source
from extractors.github.settings import GithubSettings
from extractors.github.streams import ORG_STREAMS

log = logging.getLogger(__name__)


def plan(config: GithubSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    repos: set[str] = set()
    orgs: list[str] = []
    wants_org_streams = any(config.streams is None or stream.name in config.streams for stream in ORG_STREAMS)
    with source.make_session(config.base_url, credentials.token, config.max_pages) as session:
        for scope in config.scopes:
            if scope.org:
                repos.update(source.discover_repositories(session, ctx, scope.org, config.page_size))
                if wants_org_streams:
                    orgs.append(scope.org)
            else:
                repos.add(scope.repo)  # planned even when its record fails: its own extract task then says why
                try:
                    source.land_repository(session, ctx, scope.repo)
                except ExtractError as exc:
                    log.warning("github: %s", exc)
    return sorted(repos) + sorted(set(orgs))


def extract(
    config: GithubSettings, ctx: RunContext, scope: str, credentials: Credentials
) -> tuple[dict[str, int], int]:
    with source.make_session(config.base_url, credentials.token, config.max_pages) as session:
        if "/" in scope:
            records = source.extract_repository(session, ctx, scope, config.page_size, config.streams)
        else:
            records = copilot.extract_org(session, ctx, scope, config.page_size, config.streams)
        return records, session.counter.requests
