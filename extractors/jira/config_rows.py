"""Jira's config tables: issue type -> canonical type, and which custom fields hold story points and sprint.

dbt reads them beside the landed issues and fields (raw.config__work_item_types, raw.config__jira_fields).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from extractors.jira.fields import DEFAULT_FIELD_NAMES
from extractors.jira.issue_types import issue_type_map
from extractors.jira.settings import JiraSettings

CONFIG_TABLES = {
    "config__work_item_types": "source_instance varchar, issue_type varchar, canonical_type varchar",
    "config__jira_fields": "source_instance varchar, role varchar, field varchar",
}


def config_rows(sources: Sequence[JiraSettings]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "config__work_item_types": [
            (s.name, name, canonical)
            for s in sources
            for name, canonical in sorted(issue_type_map(s.issue_types).items())
        ],
        "config__jira_fields": [
            (s.name, role, name)
            for s in sources
            for role, defaults in DEFAULT_FIELD_NAMES.items()
            for name in ((s.fields[role],) if role in s.fields else defaults)
        ],
    }
