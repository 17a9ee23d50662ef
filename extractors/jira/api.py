"""Which Jira REST API a site speaks, and how its issue search pages.

Jira Cloud has REST v3 with search/jql (nextPageToken/isLast) and paged project search; Server and
Data Center have only REST v2: search by startAt/total, a plain project list. GET .../myself on v3
tells them apart (404 on Server/DC) and is needed anyway for the user's timezone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession
from extractors.core.pagination import Page, next_page_token, start_at
from extractors.jira import streams as s

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Api:
    version: str  # "3" Jira Cloud, "2" Server / Data Center

    @property
    def cloud(self) -> bool:
        return self.version == "3"

    def path(self, cloud_path: str) -> str:
        if self.cloud:
            return cloud_path
        server = {s.PROJECTS.path: "/rest/api/2/project", s.ISSUES.path: "/rest/api/2/search"}
        return server.get(cloud_path, cloud_path.replace("/rest/api/3/", "/rest/api/2/"))


CLOUD, SERVER = Api("3"), Api("2")


def detect(session: SourceSession) -> tuple[Api, dict[str, Any]]:
    """The site's API and the calling user (for `timeZone`)."""
    try:
        body, _ = session.get_json(s.MYSELF_PATH, stream="myself")
        return CLOUD, body if isinstance(body, dict) else {}
    except ExtractError as exc:
        if exc.status != 404:
            raise
    body, _ = session.get_json(SERVER.path(s.MYSELF_PATH), stream="myself")
    log.info("jira: %s has no REST v3; using Server/Data Center REST v2", session.base_url)
    return SERVER, body if isinstance(body, dict) else {}


def search_pages(session: SourceSession, api: Api, query: dict[str, Any], page_size: int) -> Iterator[Page]:
    """Issue search pages: search/jql's nextPageToken on Cloud, startAt/total on Server and Data Center."""
    if api.cloud:
        params = {**query, "maxResults": page_size}
        return next_page_token(session, s.ISSUES.path, params, stream=s.ISSUES.name, items_key="issues")
    return start_at(
        session, api.path(s.ISSUES.path), query, stream=s.ISSUES.name, items_key="issues", page_size=page_size
    )
