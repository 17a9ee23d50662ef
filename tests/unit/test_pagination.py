"""Each pagination style and the shared bounds against a real loopback server."""

from __future__ import annotations

import pytest

from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession
from extractors.core.pagination import (
    link_header,
    next_page_header,
    next_page_token,
    offset_more,
    page_items,
    start_at,
)
from tests.scripted_server import ScriptedServer, sequence

ITEMS = list(range(25))
OK_EMPTY = (200, {}, [])


def _page(query, size=10):
    page = int(query.get("page", ["1"])[0])
    return page, ITEMS[(page - 1) * size : page * size]


def test_link_header_follows_next_until_absent():
    def handler(path, query, headers):
        page, items = _page(query)
        links = f'<{server.url}/things?page={page + 1}&per_page=10>; rel="next"' if page < 3 else ""
        return 200, ({"Link": links} if links else {}), items

    with ScriptedServer(handler) as server:
        pages = list(link_header(SourceSession(server.url, None), "/things", {"per_page": 10}, stream="things"))
    assert [len(p.items) for p in pages] == [10, 10, 5]
    assert [p.position for p in pages] == [0, 10, 20]
    assert sum((p.items for p in pages), []) == ITEMS
    assert [q for _, q, _ in server.requests] == [{"per_page": ["10"]}] + [
        {"page": [str(n)], "per_page": ["10"]} for n in (2, 3)
    ]


def test_link_header_with_items_key():
    body = {"total_count": 2, "workflow_runs": [1, 2]}
    with ScriptedServer(sequence((200, {}, body))) as server:
        (page,) = link_header(SourceSession(server.url, None), "/runs", {}, stream="runs", items_key="workflow_runs")
    assert page.items == [1, 2] and page.body == body and page.response.status_code == 200


def test_a_link_to_another_origin_is_refused_and_never_requested():
    with ScriptedServer(sequence(OK_EMPTY)) as elsewhere:
        link = {"Link": f'<{elsewhere.url}/things?page=2>; rel="next"'}
        with ScriptedServer(sequence((200, link, [1]))) as home:
            pages = link_header(SourceSession(home.url, "t0ken"), "/things", {}, stream="things")
            assert next(pages).items == [1]
            with pytest.raises(ExtractError, match="refusing to follow a link to another origin"):
                next(pages)
    assert elsewhere.requests == [] and len(home.requests) == 1


def test_a_repeated_link_is_an_error_not_a_loop():
    def handler(path, query, headers):
        page = int(query.get("page", ["1"])[0])
        return 200, {"Link": f'<{server.url}/things?page={min(page + 1, 2)}>; rel="next"'}, [page]

    with ScriptedServer(handler) as server:
        pages = link_header(SourceSession(server.url, None), "/things", {}, stream="things")
        with pytest.raises(ExtractError) as error:
            list(pages)
    assert str(error.value) == (
        f"things: the server repeated page {server.url}/things?page=2 (after {server.url}/things?page=2); "
        "stopping rather than loop forever"
    )
    assert len(server.requests) == 2


def test_next_page_header():
    def handler(path, query, headers):
        page, items = _page(query)
        return 200, {"X-Next-Page": str(page + 1) if page < 3 else ""}, items

    with ScriptedServer(handler) as server:
        pages = list(next_page_header(SourceSession(server.url, None), "/mrs", {"per_page": 10}, stream="mrs"))
    assert sum((p.items for p in pages), []) == ITEMS


def test_offset_more_asks_first_page_params_once():
    def handler(path, query, headers):
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        chunk = ITEMS[offset : offset + limit]
        return 200, {}, {"incidents": chunk, "more": offset + limit < len(ITEMS), "offset": offset}

    with ScriptedServer(handler) as server:
        pages = list(
            offset_more(
                SourceSession(server.url, None),
                "/incidents",
                {"time_zone": "UTC"},
                stream="incidents",
                items_key="incidents",
                limit=10,
                first_page_params={"total": "true"},
            )
        )
    assert sum((p.items for p in pages), []) == ITEMS and [p.position for p in pages] == [0, 10, 20]
    assert [q.get("total") for _, q, _ in server.requests] == [["true"], None, None]
    assert all(q["time_zone"] == ["UTC"] for _, q, _ in server.requests)


def test_offset_more_forever_stops_at_the_page_cap():
    with ScriptedServer(sequence((200, {}, {"incidents": [1, 2], "more": True}))) as server:
        session = SourceSession(server.url, None, max_pages=5)
        pages = offset_more(session, "/incidents", {}, stream="incidents", items_key="incidents", limit=2)
        with pytest.raises(ExtractError, match=r"incidents: more than 5 pages \(the source's max_pages setting\)"):
            list(pages)
    assert [q["offset"] for _, q, _ in server.requests] == [["0"], ["2"], ["4"], ["6"], ["8"]]


def test_offset_more_stops_at_an_empty_page_even_if_more():
    pages = [(200, {}, {"incidents": [1], "more": True}), (200, {}, {"incidents": [], "more": True})]
    with ScriptedServer(sequence(*pages)) as server:
        pages = list(offset_more(SourceSession(server.url, None), "/x", {}, stream="x", items_key="incidents"))
    assert [p.items for p in pages] == [[1], []] and len(server.requests) == 2


def test_next_page_token():
    def handler(path, query, headers):
        index = int(query.get("nextPageToken", ["0"])[0])
        chunk = ITEMS[index : index + 10]
        last = index + 10 >= len(ITEMS)
        body = {"issues": chunk, "isLast": last}
        if not last:
            body["nextPageToken"] = str(index + 10)
        return 200, {}, body

    with ScriptedServer(handler) as server:
        pages = list(
            next_page_token(SourceSession(server.url, None), "/search/jql", {}, stream="issues", items_key="issues")
        )
    assert sum((p.items for p in pages), []) == ITEMS


def test_a_repeated_page_token_is_an_error_not_a_loop():
    body = {"issues": [1], "isLast": False, "nextPageToken": "same"}
    with ScriptedServer(sequence((200, {}, body))) as server:
        pages = next_page_token(
            SourceSession(server.url, None), "/search/jql", {"jql": "x"}, stream="issues", items_key="issues"
        )
        with pytest.raises(ExtractError, match=r"issues: the server repeated page .*nextPageToken=same"):
            list(pages)
    assert len(server.requests) == 2


def _start_at_handler(total: int, *, is_last: bool, with_total: bool):
    def handler(path, query, headers):
        start, size = int(query["startAt"][0]), int(query["maxResults"][0])
        values = list(range(start, min(start + size, total)))
        body = {"startAt": start, "maxResults": size, "values": values}
        if is_last:
            body["isLast"] = start + size >= total
        if with_total:
            body["total"] = total
        return 200, {}, body

    return handler


@pytest.mark.parametrize(
    ("total", "is_last", "with_total", "requests"),
    [
        (10, True, False, 3),  # isLast on the third page (startAt 8)
        (10, False, True, 3),  # startAt reaches total after the third page
        (10, False, False, 3),  # the third page is short
        (8, False, False, 3),  # full pages to the end, then an empty one
    ],
    ids=["isLast", "total", "short-page", "empty-page"],
)
def test_start_at_stops_at_is_last_total_short_or_empty_page(total, is_last, with_total, requests):
    with ScriptedServer(_start_at_handler(total, is_last=is_last, with_total=with_total)) as server:
        pages = list(
            start_at(SourceSession(server.url, None), "/changelog", {}, stream="log", items_key="values", page_size=4)
        )
    assert sum((p.items for p in pages), []) == list(range(total))
    assert [q["startAt"][0] for _, q, _ in server.requests] == [str(n) for n in range(0, 4 * requests, 4)]
    assert all(q["maxResults"] == ["4"] for _, q, _ in server.requests)


@pytest.mark.parametrize(
    "second", [{"values": [], "isLast": True}, {"values": [], "isLast": False}], ids=["is-last", "empty"]
)
def test_start_at_believes_is_last_over_total_and_stops_at_an_empty_page(second):
    first = {"values": [1, 2], "total": 2, "isLast": False}
    with ScriptedServer(sequence((200, {}, first), (200, {}, second), (200, {}, first))) as server:
        list(start_at(SourceSession(server.url, None), "/p", {}, stream="p", items_key="values", page_size=2))
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("body", "items_key", "message"),
    [
        ({"values": 3}, "values", "expected a list in key 'values' of the response body, got int"),
        ([1, 2], "values", "expected a list in key 'values' of the response body, got nothing"),
        ({"values": []}, None, "expected a list in the response body, got dict"),
    ],
)
def test_page_items_names_what_it_expected(body, items_key, message):
    with pytest.raises(ExtractError, match=f"^http://x/y: {message}$"):
        page_items(body, items_key, "http://x/y")
