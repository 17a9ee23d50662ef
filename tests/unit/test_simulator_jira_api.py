"""The Jira Cloud API under /jira over real loopback HTTP: paging, JQL in Berlin time, changelogs, faults, auth."""

import base64
import re
import sqlite3
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import requests
import yaml

from simulator import SimServer, generate, write_pipeline_config
from simulator.jira.changelog import INLINE_CAP
from simulator.jira.ids import account_id

BEARER = {"Authorization": "Bearer sim-token"}
BASIC = {"Authorization": "Basic " + base64.b64encode(b"bot@acme.test:sim-token").decode()}
JIRA_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000[+-]\d{4}")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    # demo: its window (Jan-Jul 2026) spans Berlin's switch to summer time on 2026-03-29.
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("jira"))


@pytest.fixture(scope="module")
def server(out):
    with SimServer(out, port=0, token="sim-token") as srv:
        yield srv


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    yield conn
    conn.close()


@pytest.fixture
def jira(server):
    server.set_faults([])
    server.clear_request_log()
    with requests.Session() as s:
        s.headers.update(BASIC)
        base = server.base_url + "/jira/rest/api/3"
        s.api = lambda path, **kw: s.get(base + path, timeout=10, **kw)  # type: ignore[attr-defined]
        s.base = base  # type: ignore[attr-defined]
        yield s


def search_all(jira, jql, **params) -> tuple[list[dict], int]:
    issues, pages, token = [], 0, None
    while True:
        body = jira.api("/search/jql", params={"jql": jql, **params, **({"nextPageToken": token} if token else {})})
        assert body.status_code == 200, body.text
        body = body.json()
        issues += body["issues"]
        pages += 1
        if body["isLast"]:
            assert "nextPageToken" not in body
            return issues, pages
        token = body["nextPageToken"]


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())


def test_auth_basic_or_bearer_else_401(server, jira):
    me = jira.api("/myself").json()
    assert me["timeZone"] == "Europe/Berlin" and me["accountId"] and me["emailAddress"] == "bot@acme.test"
    assert requests.get(jira.base + "/myself", headers=BEARER, timeout=10).status_code == 200
    for headers in ({}, {"Authorization": "Bearer nope"},
                    {"Authorization": "Basic " + base64.b64encode(b"bot@acme.test:nope").decode()},
                    {"Authorization": "Token token=sim-token"}):  # fmt: skip
        r = requests.get(jira.base + "/myself", headers=headers, timeout=10)
        assert r.status_code == 401 and set(r.json()) == {"errorMessages", "errors"}
        assert "x-ratelimit-limit" not in r.headers and "X-GitHub-Media-Type" not in r.headers
    assert [e["path"] for e in server.request_log()][:1] == ["/jira/rest/api/3/myself"]


def test_project_search_paging_statuses_and_fields(jira):
    first = jira.api("/project/search", params={"maxResults": 2}).json()
    assert (first["startAt"], first["maxResults"], first["total"], first["isLast"]) == (0, 2, 3, False)
    assert [p["key"] for p in first["values"]] == ["CHK", "LDG"] and "startAt=2" in first["nextPage"]
    rest = jira.api("/project/search", params={"startAt": 2, "maxResults": 2}).json()
    assert rest["isLast"] and [p["key"] for p in rest["values"]] == ["GRW"] and "nextPage" not in rest
    statuses = {s["name"]: s["statusCategory"]["key"] for s in jira.api("/status").json()}
    assert statuses == {"To Do": "new", "In Progress": "indeterminate", "In Review": "indeterminate", "Done": "done"}
    fields = {f["name"]: f for f in jira.api("/field").json()}
    assert fields["Story Points"]["id"] == "customfield_10016" and fields["Story Points"]["custom"]
    assert fields["Sprint"]["id"] == "customfield_10020" and fields["Sprint"]["schema"]["type"] == "array"
    assert not fields["Summary"]["custom"] and fields["Updated"]["schema"] == {"type": "datetime", "system": "updated"}


def test_search_pages_with_tokens_and_post_matches_get(jira, db):
    jql = "project = CHK ORDER BY updated ASC, key ASC"
    issues, pages = search_all(jira, jql, maxResults=100, fields="updated")
    expected = db.execute("SELECT id FROM work_items WHERE project_key = 'CHK' ORDER BY updated_at, number").fetchall()
    assert [int(i["id"]) for i in issues] == [r[0] for r in expected]
    assert pages == -(-len(expected) // 100) > 1
    updated = [i["fields"]["updated"] for i in issues]
    assert all(JIRA_TIME.fullmatch(u) for u in updated)
    assert set(issues[0]["fields"]) == {"updated"}
    # Without `fields` the enhanced search returns ids only; maxResults is capped at 100, default 50.
    bare = jira.api("/search/jql", params={"jql": jql}).json()
    assert len(bare["issues"]) == 50 and set(bare["issues"][0]) == {"id"}
    assert len(jira.api("/search/jql", params={"jql": jql, "maxResults": 500}).json()["issues"]) == 100
    posted = jira.post(jira.base + "/search/jql", json={"jql": jql, "maxResults": 100, "fields": ["updated"]},
                       timeout=10).json()  # fmt: skip
    assert posted["issues"] == issues[:100] and posted["nextPageToken"]
    body = {"jql": jql, "maxResults": 100, "fields": ["updated"], "nextPageToken": posted["nextPageToken"]}
    second = jira.post(jira.base + "/search/jql", json=body, timeout=10)
    assert second.json()["issues"] == issues[100:200]
    wrong = jira.api("/search/jql", params={"jql": "project = LDG", "nextPageToken": posted["nextPageToken"]})
    assert wrong.status_code == 400


def test_jql_window_is_berlin_time_across_dst(jira, db):
    # 2026-03-29 02:00 CET -> 03:00 CEST. Berlin wall times: +01:00 before, +02:00 after.
    jql = ('project in (CHK, LDG, GRW) AND updated >= "2026/03/24 12:00" AND updated < "2026-04-03 12:00" '
           "ORDER BY updated ASC, key ASC")  # fmt: skip
    issues, _ = search_all(jira, jql, fields="updated,key", maxResults=100)
    low, high = epoch("2026-03-24T11:00:00"), epoch("2026-04-03T10:00:00")
    expected = [r[0] for r in db.execute("SELECT id FROM work_items WHERE updated_at >= ? AND updated_at < ? "
                                          "ORDER BY updated_at, project_key, number", (low, high))]  # fmt: skip
    assert [int(i["id"]) for i in issues] == expected and len(expected) > 5
    offsets = {i["fields"]["updated"][-5:] for i in issues}
    assert offsets == {"+0100", "+0200"}
    # A wall time in the spring-forward gap moves forward: 02:30 does not exist, it means 03:30 CEST.
    gap = jira.api("/search/jql", params={"jql": 'project = CHK AND updated >= "2026/03/29 02:30"', "fields": "id"})
    same = jira.api("/search/jql", params={"jql": 'project = CHK AND updated >= "2026/03/29 03:30"', "fields": "id"})
    assert gap.json()["issues"] == same.json()["issues"]


def test_jql_has_minute_precision(jira, db):
    """A literal is a whole minute: an item updated at 10:17:42 matches >= "10:17", not < "10:17"."""
    sql = "SELECT id, updated_at FROM work_items WHERE updated_at % 60 > 0 AND project_key = 'LDG' ORDER BY updated_at"
    item_id, updated = db.execute(sql + " LIMIT 1 OFFSET 40").fetchone()

    minute = datetime.fromtimestamp(updated, ZoneInfo("Europe/Berlin")).strftime("%Y/%m/%d %H:%M")
    ids = lambda jql: {int(i["id"]) for i in search_all(jira, jql, fields="id", maxResults=100)[0]}  # noqa: E731
    assert item_id in ids(f'project = LDG AND updated >= "{minute}"')
    assert item_id not in ids(f'project = LDG AND updated < "{minute}"')
    seconds = jira.api("/search/jql", params={"jql": f'project = LDG AND updated >= "{minute}:00"'})
    assert seconds.status_code == 400 and "Valid formats include" in seconds.json()["errorMessages"][0]


@pytest.mark.parametrize("jql", ["status = Done", "project = CHK OR project = LDG", "ORDER BY updated",
                                 "", "project = NOPE", "project = CHK ORDER BY rank"])  # fmt: skip
def test_unsupported_jql_is_a_jira_400(jira, jql):
    r = jira.api("/search/jql", params={"jql": jql})
    assert r.status_code == 400 and r.json()["errors"] == {} and r.json()["errorMessages"][0]


def test_issue_shape(jira, db):
    issues, _ = search_all(jira, "project = GRW ORDER BY key ASC", fields="*all", maxResults=100)
    by_key = {i["key"]: i for i in issues}
    bug = next(i for i in issues if i["fields"]["issuetype"]["name"] == "Bug" and i["fields"]["environment"])
    env = bug["fields"]["environment"]
    assert env["type"] == "doc" and env["content"][0]["content"][0]["text"] in ("production", "staging")
    row = db.execute("SELECT key, summary, status, story_points, sprint, reporter_id, resolved_at, labels "
                     "FROM work_items WHERE key = 'GRW-1'").fetchone()  # fmt: skip
    f = by_key["GRW-1"]["fields"]
    assert (f["summary"], f["status"]["name"], f["customfield_10016"]) == (row[1], row[2], row[3])
    assert f["project"]["key"] == "GRW" and f["status"]["statusCategory"]["key"] in ("new", "indeterminate", "done")
    assert f["reporter"]["accountId"] == account_id(row[5]) and f["reporter"]["timeZone"]
    assert (f["resolutiondate"] is None) == (row[6] is None)
    if row[4]:
        sprint = f["customfield_10020"][0]
        assert sprint["name"] == row[4] and {"id", "state", "boardId", "startDate", "endDate"} <= set(sprint)
    assert f["issuelinks"] == [] and isinstance(f["labels"], list)
    users = {u["accountId"]: u for i in issues for u in (i["fields"]["reporter"], i["fields"]["assignee"]) if u}
    hidden = [u for u in users.values() if "emailAddress" not in u]
    assert 0 < len(hidden) < len(users)


def test_changelog_inline_and_paged(jira, db):
    issues, _ = search_all(jira, "project = CHK ORDER BY key ASC", fields="key", expand="changelog", maxResults=100)
    capped = [i for i in issues if i["changelog"]["total"] > INLINE_CAP]
    complete = [i for i in issues if i["changelog"]["total"] <= INLINE_CAP]
    assert capped and complete
    for issue in complete[:20]:
        log = issue["changelog"]
        assert log["startAt"] == 0 and len(log["histories"]) == log["total"] == log["maxResults"]
        status_moves = [(it["fromString"], it["toString"]) for h in log["histories"] for it in h["items"]
                        if it["field"] == "status"]  # fmt: skip
        expected = db.execute("SELECT from_status, to_status FROM work_item_transitions WHERE work_item_id = ? "
                              "AND seq > 0 ORDER BY seq", (int(issue["id"]),)).fetchall()  # fmt: skip
        assert status_moves == [tuple(r) for r in expected]
    issue = capped[0]
    inline = issue["changelog"]
    assert len(inline["histories"]) == inline["maxResults"] == INLINE_CAP < inline["total"]
    paged, start = [], 0
    while True:
        page = jira.api(f"/issue/{issue['key']}/changelog", params={"startAt": start, "maxResults": 7}).json()
        assert page["startAt"] == start and page["total"] == inline["total"]
        paged += page["values"]
        if page["isLast"]:
            break
        start += page["maxResults"]
    assert len(paged) == inline["total"] and paged[:INLINE_CAP] == inline["histories"]
    assert len({h["id"] for h in paged}) == len(paged)
    assert [h["created"] for h in paged] == sorted(paged and [h["created"] for h in paged], key=lambda t: epoch_of(t))
    assert {it["field"] for h in paged for it in h["items"]} >= {"Rank", "status"}
    assert jira.api("/issue/CHK-999999/changelog").status_code == 404
    by_id = jira.api(f"/issue/{issue['id']}", params={"fields": "summary"}).json()
    assert by_id["key"] == issue["key"] and set(by_id["fields"]) == {"summary"}


def epoch_of(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()


def test_rate_limit_fault_on_jira_paths(server, jira):
    server.set_faults([{"kind": "rate_limit", "path_regex": "^/jira/rest/api/3/search", "times": 2, "retry_after": 4}])
    assert jira.api("/myself").status_code == 200
    for _ in range(2):
        r = jira.api("/search/jql", params={"jql": "project = CHK", "maxResults": 1})
        assert r.status_code == 429 and r.headers["Retry-After"] == "4"
        assert r.json() == {"errorMessages": ["Rate limit exceeded."], "errors": {}}
    assert jira.api("/search/jql", params={"jql": "project = CHK", "maxResults": 1}).status_code == 200
    log = server.request_log()
    assert [(e["path"], e["status"]) for e in log] == [("/jira/rest/api/3/myself", 200)] + [
        ("/jira/rest/api/3/search/jql", s) for s in (429, 429, 200)]  # fmt: skip
    assert log[-1]["query"] == {"jql": "project = CHK", "maxResults": "1"}
    server.set_faults([{"kind": "server_error", "path_regex": "/jira/", "status": 503}])
    assert jira.api("/status").status_code == 503 and jira.api("/status").status_code == 200


def test_config_aliases_carry_jira_and_pagerduty_ids(out, db):
    cfg = yaml.safe_load(write_pipeline_config(out, base_url="http://127.0.0.1:1").read_text())
    people = dict(db.execute("SELECT key, id FROM people").fetchall())
    team = cfg["teams"][0]
    assert team["projects"] == ["CHK"]
    member = team["members"][0]
    assert account_id(people[member["key"]]) in member["aliases"]
    assert any(re.fullmatch(r"P[0-9A-Z]{6}", a) for a in member["aliases"])
    kinds = {s["name"]: s for s in cfg["sources"]}
    assert kinds["jira"]["base_url"] == "http://127.0.0.1:1/jira" and kinds["jira"]["user_env"]
    assert kinds["pagerduty"]["base_url"] == "http://127.0.0.1:1/pagerduty"
