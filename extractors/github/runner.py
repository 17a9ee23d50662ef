"""How the pipeline runs GitHub: plan lists org repositories (landing `repositories`); extract lands one repo."""

from __future__ import annotations

import logging

from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.streams import RunContext
from extractors.github import source
from extractors.github.settings import GithubSettings

log = logging.getLogger(__name__)


def plan(config: GithubSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    repos: set[str] = set()
    with source.make_session(config.base_url, credentials.token, config.max_pages) as session:
        for scope in config.scopes:
            if scope.org:
                repos.update(source.discover_repositories(session, ctx, scope.org, config.page_size))
            else:
                repos.add(scope.repo)  # planned even when its record fails: its own extract task then says why
                try:
                    source.land_repository(session, ctx, scope.repo)
                except ExtractError as exc:
                    log.warning("github: %s", exc)
    return sorted(repos)


def extract(
    config: GithubSettings, ctx: RunContext, scope: str, credentials: Credentials
) -> tuple[dict[str, int], int]:
    with source.make_session(config.base_url, credentials.token, config.max_pages) as session:
        records = source.extract_repository(session, ctx, scope, config.page_size, config.streams)
        return records, session.counter.requests
