"""PagerDuty REST v2 extractor (base URL configurable): incidents, log entries, services, teams, users."""

from extractors.core.source_kind import SourceKind
from extractors.pagerduty import runner
from extractors.pagerduty.settings import PagerDutySettings
from extractors.pagerduty.streams import ALL_STREAMS

SOURCE_KIND = SourceKind(
    name="pagerduty",
    settings=PagerDutySettings,
    streams=ALL_STREAMS,
    plan=runner.plan,
    extract=runner.extract,
    schedule="45 3 * * *",
    description="A PagerDuty account: incidents and their log entries; services, teams and users",
)
