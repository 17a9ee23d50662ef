"""How the pipeline runs local git: one scope per configured repository, no network, no token."""

from __future__ import annotations

from extractors.core.config import SourceConfig
from extractors.core.credentials import Credentials
from extractors.core.errors import ConfigError
from extractors.core.streams import RunContext
from extractors.git.source import extract_git_repository


def plan(config: SourceConfig, ctx: RunContext, credentials: Credentials) -> list[str]:
    return [scope.repository for scope in config.scopes]


def extract(config: SourceConfig, ctx: RunContext, scope: str, credentials: Credentials) -> tuple[dict[str, int], int]:
    match = next((s for s in config.scopes if s.repository == scope), None)
    if match is None:
        raise ConfigError(f"source {config.name}: no git scope for repository {scope!r}")
    return {"commits": extract_git_repository(ctx, match.path, match.repository, match.refs)}, 0
