"""An issue's full changelog: the inline `expand=changelog` page when complete, else paged from the API.

Search results carry at most a page of histories; `total` tells whether that is all of them. When it is
not, GET /rest/api/3/issue/{key}/changelog is paged with startAt/maxResults until isLast.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from extractors.core.http import SourceSession
from extractors.core.pagination import start_at
from extractors.jira.api import Api
from extractors.jira.streams import ISSUE_CHANGELOGS


def inline_is_complete(changelog: dict[str, Any] | None) -> bool:
    if not isinstance(changelog, dict) or not isinstance(changelog.get("histories"), list):
        return False
    histories = changelog["histories"]
    total = changelog.get("total")
    if total is None:  # Server/DC without a total: trust a page that is not full
        return len(histories) < (changelog.get("maxResults") or len(histories) + 1)
    return total <= len(histories)


def histories(session: SourceSession, api: Api, issue: dict[str, Any], page_size: int) -> Iterator[dict[str, Any]]:
    """Every changelog history of one search result, with as few requests as the payload allows."""
    changelog = issue.get("changelog")
    if inline_is_complete(changelog):
        yield from changelog["histories"]
        return
    path = api.path(ISSUE_CHANGELOGS.path.format(key=issue.get("key") or issue.get("id")))
    for page in start_at(session, path, {}, stream=ISSUE_CHANGELOGS.name, items_key="values", page_size=page_size):
        yield from page.items
