"""Pagination styles of the supported vendors, each a generator of (items, response) pages.

- link_header: GitHub (RFC 8288 `Link: <...>; rel="next"`), also GitLab keyset pagination.
- next_page_header: GitLab offset pagination (`X-Next-Page`).
- offset_more: PagerDuty (`offset`/`limit` with `more` in the body).
- next_page_token: Jira Cloud search/jql (`nextPageToken` with `isLast`).
`items_key` picks the list out of an object body (GitHub's workflow runs, Jira's issues); None means
the body is the list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import requests

from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession

Page = tuple[list[Any], requests.Response]
MAX_PAGES = 1_000_000  # a guard against a server that always says "next"


def _items(body: Any, items_key: str | None, url: str) -> list[Any]:
    items = body.get(items_key) if items_key and isinstance(body, dict) else body
    if not isinstance(items, list):
        where = f"key {items_key!r} of " if items_key else ""
        raise ExtractError(f"{url}: expected a list in {where}the response body, got {type(items).__name__}")
    return items


def link_header(
    session: SourceSession, path: str, params: dict[str, Any], *, stream: str = "", items_key: str | None = None
) -> Iterator[Page]:
    url: str | None = path
    query: dict[str, Any] | None = params
    for _ in range(MAX_PAGES):
        if url is None:
            return
        body, response = session.get_json(url, params=query, stream=stream)
        yield _items(body, items_key, response.url), response
        url = response.links.get("next", {}).get("url")
        query = None  # the next link carries every parameter


def next_page_header(
    session: SourceSession, path: str, params: dict[str, Any], *, stream: str = "", items_key: str | None = None
) -> Iterator[Page]:
    query = dict(params)
    for _ in range(MAX_PAGES):
        body, response = session.get_json(path, params=query, stream=stream)
        yield _items(body, items_key, response.url), response
        next_page = response.headers.get("X-Next-Page", "").strip()
        if not next_page:
            return
        query["page"] = next_page


def offset_more(
    session: SourceSession, path: str, params: dict[str, Any], *, items_key: str, stream: str = "", limit: int = 100
) -> Iterator[Page]:
    offset = 0
    for _ in range(MAX_PAGES):
        body, response = session.get_json(path, params={**params, "offset": offset, "limit": limit}, stream=stream)
        items = _items(body, items_key, response.url)
        yield items, response
        if not body.get("more") or not items:
            return
        offset += len(items)


def next_page_token(
    session: SourceSession,
    path: str,
    params: dict[str, Any],
    *,
    items_key: str,
    stream: str = "",
    token_param: str = "nextPageToken",  # noqa: S107 - a parameter name
    is_last: Callable[[Any], bool] | None = None,
) -> Iterator[Page]:
    query = dict(params)
    for _ in range(MAX_PAGES):
        body, response = session.get_json(path, params=query, stream=stream)
        yield _items(body, items_key, response.url), response
        token = body.get("nextPageToken")
        last = is_last(body) if is_last else body.get("isLast", token is None)
        if last or not token:
            return
        query[token_param] = token
