"""Every vendor's pagination style, each a generator of `Page`s walked by one loop with one set of bounds.

- link_header: GitHub (RFC 8288 `Link: <...>; rel="next"`), also GitLab keyset pagination.
- next_page_header: GitLab offset pagination (`X-Next-Page`).
- offset_more: PagerDuty (`offset`/`limit` with `more` in the body).
- start_at: Jira `startAt`/`maxResults` (Server/DC search, project search, changelogs).
- next_page_token: Jira Cloud search/jql (`nextPageToken` with `isLast`).
`items_key` picks the list out of an object body (GitHub's workflow runs, Jira's issues); None means
the body is the list. The bounds: no page is asked for twice in one loop (a server pointing back to a page
it already gave would otherwise loop forever) and no loop runs past `session.max_pages` pages. Pages are
fetched lazily, so a caller that stops iterating makes no further request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests

from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession


@dataclass(frozen=True)
class Page:
    items: list[Any]
    body: Any
    response: requests.Response
    position: int  # the number of items before this page in its loop (the offset / startAt it was asked at)


Request = tuple[str, dict[str, Any] | None]  # a path or absolute URL, and its query parameters


def page_items(body: Any, items_key: str | None, url: str) -> list[Any]:
    """The page's records: the body itself, or its list under `items_key`; anything else is a bad page."""
    keyed = body.get(items_key) if isinstance(body, dict) else None
    items = body if items_key is None else keyed
    if not isinstance(items, list):
        where = f"key {items_key!r} of " if items_key else ""
        got = "nothing" if items is None else type(items).__name__
        raise ExtractError(f"{url}: expected a list in {where}the response body, got {got}")
    return items


def link_header(
    session: SourceSession, path: str, params: dict[str, Any], *, stream: str, items_key: str | None = None
) -> Iterator[Page]:
    """Follow `Link: <...>; rel="next"` until absent; the next link carries every parameter."""

    def follow(page: Page) -> Request | None:
        url = page.response.links.get("next", {}).get("url")
        return (url, None) if url else None

    return _walk(session, (path, params), follow, stream=stream, items_key=items_key)


def next_page_header(
    session: SourceSession,
    path: str,
    params: dict[str, Any],
    *,
    stream: str,
    items_key: str | None = None,
    page_param: str = "page",
) -> Iterator[Page]:
    """Ask for the page `X-Next-Page` names until it is empty or absent."""

    def follow(page: Page) -> Request | None:
        number = page.response.headers.get("X-Next-Page", "").strip()
        return (path, {**params, page_param: number}) if number else None

    return _walk(session, (path, params), follow, stream=stream, items_key=items_key)


def offset_more(
    session: SourceSession,
    path: str,
    params: dict[str, Any],
    *,
    stream: str,
    items_key: str | None = None,
    limit: int = 100,
    first_page_params: dict[str, Any] | None = None,
) -> Iterator[Page]:
    """offset/limit until the body's `more` is false or a page is empty.

    `first_page_params` go with the first request only (PagerDuty's `total=true`, which costs the server
    a count, is worth asking once).
    """

    def follow(page: Page) -> Request | None:
        if not page.items or not (isinstance(page.body, dict) and page.body.get("more")):
            return None
        return path, {**params, "offset": page.position + len(page.items), "limit": limit}

    first = (path, {**params, **(first_page_params or {}), "offset": 0, "limit": limit})
    return _walk(session, first, follow, stream=stream, items_key=items_key)


def start_at(
    session: SourceSession,
    path: str,
    params: dict[str, Any],
    *,
    stream: str,
    items_key: str | None = None,
    page_size: int,
) -> Iterator[Page]:
    """startAt/maxResults: stop at `isLast` when present, else when startAt reaches `total`, else at a short
    page; always at an empty page (some Jira endpoints send neither isLast nor total)."""

    def follow(page: Page) -> Request | None:
        start = page.position + len(page.items)
        body = page.body if isinstance(page.body, dict) else {}
        last = body.get("isLast")
        if last is None:
            total = body.get("total")
            last = start >= total if isinstance(total, int) else len(page.items) < page_size
        if last or not page.items:
            return None
        return path, {**params, "startAt": start, "maxResults": page_size}

    first = (path, {**params, "startAt": 0, "maxResults": page_size})
    return _walk(session, first, follow, stream=stream, items_key=items_key)


def next_page_token(
    session: SourceSession,
    path: str,
    params: dict[str, Any],
    *,
    stream: str,
    items_key: str | None = None,
    token_param: str = "nextPageToken",  # noqa: S107 - a parameter name, not a secret
    token_key: str = "nextPageToken",  # noqa: S107 - a body key, not a secret
) -> Iterator[Page]:
    """Send back the body's token until `isLast` is true or there is no token."""

    def follow(page: Page) -> Request | None:
        body = page.body if isinstance(page.body, dict) else {}
        token = body.get(token_key)
        if body.get("isLast") is True or not token:
            return None
        return path, {**params, token_param: token}

    return _walk(session, (path, params), follow, stream=stream, items_key=items_key)


def _walk(
    session: SourceSession,
    first: Request,
    follow: Callable[[Page], Request | None],
    *,
    stream: str,
    items_key: str | None,
) -> Iterator[Page]:
    """The one paging loop: fetch a page, yield it, ask `follow` for the next request; enforce the bounds."""
    asked: set[str] = set()
    request: Request | None = first
    previous = ""
    position = 0
    while request is not None:
        url = _full_url(session, request)
        if url in asked:
            raise ExtractError(
                f"{stream}: the server repeated page {url} (after {previous}); stopping rather than loop forever"
            )
        if len(asked) == session.max_pages:
            raise ExtractError(
                f"{stream}: more than {session.max_pages} pages (the source's max_pages setting) "
                f"and the server still offers {url}"
            )
        asked.add(url)
        body, response = session.get_json(request[0], params=request[1], stream=stream)
        page = Page(page_items(body, items_key, response.url), body, response, position)
        yield page
        previous, position = response.url, position + len(page.items)
        request = follow(page)


def _full_url(session: SourceSession, request: Request) -> str:
    """The URL a request asks for, so that two requests for the same page compare equal."""
    path, params = request
    url = session.url(path)
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params, doseq=True)}" if params else url
