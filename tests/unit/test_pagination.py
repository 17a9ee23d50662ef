"""Each pagination style against a real loopback server."""

from __future__ import annotations

from extractors.core.http import SourceSession
from extractors.core.pagination import link_header, next_page_header, next_page_token, offset_more
from tests.scripted_server import ScriptedServer

ITEMS = list(range(25))


def _page(query, size=10):
    page = int(query.get("page", ["1"])[0])
    return page, ITEMS[(page - 1) * size: page * size]


def test_link_header_follows_next_until_absent():
    def handler(path, query, headers):
        page, items = _page(query)
        links = f'<{server.url}/things?page={page + 1}&per_page=10>; rel="next"' if page < 3 else ""
        return 200, ({"Link": links} if links else {}), items

    with ScriptedServer(handler) as server:
        pages = [p for p, _ in link_header(SourceSession(server.url, None), "/things", {"per_page": 10})]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert sum(pages, []) == ITEMS


def test_link_header_with_items_key():
    def handler(path, query, headers):
        return 200, {}, {"total_count": 2, "workflow_runs": [1, 2]}

    with ScriptedServer(handler) as server:
        pages = list(link_header(SourceSession(server.url, None), "/runs", {}, items_key="workflow_runs"))
    assert [p for p, _ in pages] == [[1, 2]]


def test_next_page_header():
    def handler(path, query, headers):
        page, items = _page(query)
        return 200, {"X-Next-Page": str(page + 1) if page < 3 else ""}, items

    with ScriptedServer(handler) as server:
        pages = [p for p, _ in next_page_header(SourceSession(server.url, None), "/mrs", {"per_page": 10})]
    assert sum(pages, []) == ITEMS


def test_offset_more():
    def handler(path, query, headers):
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        chunk = ITEMS[offset: offset + limit]
        return 200, {}, {"incidents": chunk, "more": offset + limit < len(ITEMS), "offset": offset}

    with ScriptedServer(handler) as server:
        pages = [p for p, _ in offset_more(SourceSession(server.url, None), "/incidents", {}, items_key="incidents",
                                           limit=10)]
    assert sum(pages, []) == ITEMS and len(pages) == 3


def test_next_page_token():
    def handler(path, query, headers):
        index = int(query.get("nextPageToken", ["0"])[0])
        chunk = ITEMS[index: index + 10]
        last = index + 10 >= len(ITEMS)
        body = {"issues": chunk, "isLast": last}
        if not last:
            body["nextPageToken"] = str(index + 10)
        return 200, {}, body

    with ScriptedServer(handler) as server:
        pages = [p for p, _ in next_page_token(SourceSession(server.url, None), "/search/jql", {},
                                               items_key="issues")]
    assert sum(pages, []) == ITEMS
