"""How the pipeline runs Jira: plan lands the site lists and names one scope per project; extract lands one."""

from __future__ import annotations

from extractors.core.credentials import Credentials
from extractors.core.streams import RunContext
from extractors.jira import source
from extractors.jira.settings import JiraSettings


def plan(config: JiraSettings, ctx: RunContext, credentials: Credentials) -> list[str]:
    with source.make_session(config.base_url, credentials, config.max_pages) as session:
        source.land_site(session, ctx, config.page_size, config.fields)
    return [scope.project for scope in config.scopes]


def extract(config: JiraSettings, ctx: RunContext, scope: str, credentials: Credentials) -> tuple[dict[str, int], int]:
    with source.make_session(config.base_url, credentials, config.max_pages) as session:
        records = source.extract_project(session, ctx, scope, config.page_size)
        return records, session.counter.requests
