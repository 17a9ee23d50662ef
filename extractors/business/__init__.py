"""Business inputs from the finance and customer side: monthly CSV files of spend, revenue, CSAT, headcount."""

from extractors.business import runner
from extractors.business.settings import BusinessSettings
from extractors.business.source import MEASURES, SNAPSHOTS
from extractors.core.source_kind import SourceKind

SOURCE_KIND = SourceKind(
    name="business",
    settings=BusinessSettings,
    streams=(MEASURES, SNAPSHOTS),
    plan=runner.plan,
    extract=runner.extract,
    schedule="0 4 * * *",
    description="Monthly business measures from CSV files: AI tool and infrastructure spend, revenue, CSAT, headcount",
)
