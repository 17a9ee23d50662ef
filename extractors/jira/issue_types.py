"""Jira issue type name -> canonical work item type (METRICS.md "## Work items"), the one copy of the defaults.

Names compare case-insensitively; a source's `issue_types` config is merged over these; any other type
is `chore` (the dbt side applies that fallback).
"""

from __future__ import annotations

from typing import Literal, get_args

CanonicalType = Literal["feature", "bug", "customer_request", "incident", "chore"]
CANONICAL_TYPES: tuple[str, ...] = get_args(CanonicalType)
FALLBACK_TYPE = "chore"

DEFAULT_ISSUE_TYPES: dict[str, str] = {
    "story": "feature",
    "feature": "feature",
    "new feature": "feature",
    "improvement": "feature",
    "epic": "feature",
    "bug": "bug",
    "defect": "bug",
    "customer request": "customer_request",
    "service request": "customer_request",
    "support": "customer_request",
    "incident": "incident",
    "problem": "incident",
    "task": "chore",
    "sub-task": "chore",
    "subtask": "chore",
    "chore": "chore",
    "spike": "chore",
}


def issue_type_map(overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The defaults with a source's overrides on top, keyed by lowercase type name."""
    merged = dict(DEFAULT_ISSUE_TYPES)
    merged.update({name.strip().lower(): canonical for name, canonical in (overrides or {}).items()})
    return merged
