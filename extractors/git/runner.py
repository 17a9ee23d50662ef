"""How the pipeline runs local git: one scope per configured repository, no network, no token."""

from __future__ import annotations

from extractors.core.credentials import Credentials
from extractors.core.errors import ConfigError
from extractors.core.streams import RunContext
from extractors.git.settings import GitSettings
from extractors.git.source import extract_git_repository


def plan(config: GitSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    return [scope.repository for scope in config.scopes]


def extract(config: GitSettings, ctx: RunContext, scope: str, credentials: Credentials) -> tuple[dict[str, int], int]:
    match = config.scope(scope)
    if match is None:
        raise ConfigError(f"source {config.name}: no git scope for repository {scope!r}")
    return {"commits": extract_git_repository(ctx, match.path, match.repository, match.refs)}, 0
