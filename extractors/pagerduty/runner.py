"""How the pipeline runs PagerDuty: one scope (the account label), extracted whole."""

from __future__ import annotations

from extractors.core.credentials import Credentials
from extractors.core.streams import RunContext
from extractors.pagerduty import source
from extractors.pagerduty.settings import PagerDutySettings


def plan(config: PagerDutySettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    return [scope.account for scope in config.scopes]


def extract(
    config: PagerDutySettings, ctx: RunContext, scope: str, credentials: Credentials
) -> tuple[dict[str, int], int]:
    with source.make_session(config.base_url, credentials, config.max_pages) as session:
        records = source.extract_account(session, ctx, scope, config.page_size)
        return records, session.counter.requests
