"""Jira Cloud extractor (site URL configurable; a Server/Data Center base URL with a context path works too)."""

from extractors.core.source_kind import SourceKind
from extractors.jira import config_rows, runner
from extractors.jira.settings import JiraSettings
from extractors.jira.streams import ALL_STREAMS

SOURCE_KIND = SourceKind(
    name="jira",
    settings=JiraSettings,
    streams=ALL_STREAMS,
    plan=runner.plan,
    extract=runner.extract,
    schedule="15 3 * * *",
    description="Jira projects: issues with full changelogs; site projects, statuses and fields",
    config_tables=config_rows.CONFIG_TABLES,
    config_rows=config_rows.config_rows,
)
