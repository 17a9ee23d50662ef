"""PagerDuty REST v2 extractor (base URL configurable): incidents, log entries, services, teams, users."""

from extractors.pagerduty.streams import STREAMS

__all__ = ["STREAMS"]
