"""How the pipeline runs an events source: one scope (the drop folder), no network, no credentials."""

from __future__ import annotations

from extractors.core.credentials import Credentials
from extractors.core.errors import ConfigError
from extractors.core.streams import RunContext
from extractors.events.settings import SCOPE, EventsSettings
from extractors.events.source import extract_drop_folder


def plan(config: EventsSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    return [SCOPE]


def extract(
    config: EventsSettings, ctx: RunContext, scope: str, credentials: Credentials
) -> tuple[dict[str, int], int]:
    if scope != SCOPE:
        raise ConfigError(f"source {config.name}: an events source has one scope, {SCOPE!r}, not {scope!r}")
    return extract_drop_folder(ctx, config), 0
