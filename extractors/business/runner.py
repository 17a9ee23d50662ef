"""How the pipeline runs a business source: one scope per configured group of files, no network."""

from __future__ import annotations

from extractors.business.settings import BusinessSettings
from extractors.business.source import extract_business_scope
from extractors.core.credentials import Credentials
from extractors.core.errors import ConfigError
from extractors.core.streams import RunContext


def plan(config: BusinessSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    return [scope.name for scope in config.scopes]


def extract(
    config: BusinessSettings, ctx: RunContext, scope: str, credentials: Credentials
) -> tuple[dict[str, int], int]:
    match = config.scope(scope)
    if match is None:
        raise ConfigError(f"source {config.name}: no business scope named {scope!r}")
    return extract_business_scope(ctx, config, match), 0
