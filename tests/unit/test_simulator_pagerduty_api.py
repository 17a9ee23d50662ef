"""The PagerDuty API under /pagerduty over real loopback HTTP: offset paging, windows, shapes, faults, auth."""

import re
import sqlite3

import pytest
import requests

from simulator import SimServer, generate
from simulator.pagerduty.ids import decode, encode, user_id
from simulator.pagerduty.routes import PAGED
from simulator.timeutil import DAY, parse_iso

AUTH = {"Authorization": "Token token=sim-token"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("pagerduty"))


@pytest.fixture(scope="module")
def server(out):
    with SimServer(out, port=0, token="sim-token") as srv:
        yield srv


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


@pytest.fixture
def pd(server):
    server.set_faults([])
    server.clear_request_log()
    with requests.Session() as s:
        s.headers.update(AUTH)
        base = server.base_url + "/pagerduty"
        s.api = lambda path, **kw: s.get(base + path, timeout=10, **kw)  # type: ignore[attr-defined]
        yield s


def walk(pd, path, key, params) -> tuple[list[dict], int]:
    items, offset, pages = [], 0, 0
    while True:
        r = pd.api(path, params={**params, "offset": offset})
        assert r.status_code == 200, r.text
        body = r.json()
        items += body[key]
        pages += 1
        if not body["more"]:
            return items, pages
        offset += body["limit"]


def test_auth_token_header_only(server, pd):
    assert pd.api("/teams").status_code == 200
    for headers in ({}, {"Authorization": "Bearer sim-token"}, {"Authorization": "Token token=nope"}):
        r = requests.get(server.base_url + "/pagerduty/teams", headers=headers, timeout=10)
        assert r.status_code == 401 and r.json()["error"]["code"] == 2006


def test_incident_offset_paging_and_total(pd, db):
    items, pages = walk(pd, "/incidents", "incidents", {"date_range": "all", "limit": 10})
    rows = db.execute(f"SELECT i.id FROM incidents i {PAGED} ORDER BY i.created_at, i.id").fetchall()
    assert [decode("incident", i["id"]) for i in items] == [r["id"] for r in rows]
    assert pages == -(-len(rows) // 10) > 2
    first = pd.api("/incidents", params={"date_range": "all", "limit": 10}).json()
    assert first["total"] is None and first["more"] and first["offset"] == 0 and first["limit"] == 10
    counted = pd.api("/incidents", params={"date_range": "all", "limit": 500, "total": "true"}).json()
    assert counted["total"] == len(rows) and counted["limit"] == 100
    newest = pd.api("/incidents", params={"date_range": "all", "sort_by": "created_at:desc", "limit": 1}).json()
    assert decode("incident", newest["incidents"][0]["id"]) == rows[-1]["id"]


def test_since_until_filter_created_at_and_default_month(pd, db):
    since, until = "2026-02-01T00:00:00Z", "2026-05-01T00:00:00+02:00"
    items, _ = walk(pd, "/incidents", "incidents", {"since": since, "until": until, "limit": 100})
    expected = db.execute(f"SELECT i.id FROM incidents i {PAGED} WHERE i.created_at >= ? AND i.created_at < ? "
                          "ORDER BY i.created_at, i.id", (parse_iso(since), parse_iso(until))).fetchall()  # fmt: skip
    assert [decode("incident", i["id"]) for i in items] == [r["id"] for r in expected] and expected
    end = parse_iso(db.execute("SELECT value FROM meta WHERE key = 'window_end'").fetchone()[0])
    default = walk(pd, "/incidents", "incidents", {"limit": 100})[0]
    last_month = db.execute(f"SELECT i.id FROM incidents i {PAGED} WHERE i.created_at >= ? ORDER BY i.created_at, i.id",
                            (end - 30 * DAY,)).fetchall()  # fmt: skip
    assert [decode("incident", i["id"]) for i in default] == [r["id"] for r in last_month]


@pytest.mark.parametrize("params", [
    {"since": "2026-01-01T00:00:00Z", "until": "2026-07-02T00:00:00Z"},  # more than 6 months
    {"since": "2025-12-01"},  # until defaults to now: 7 months
    {"since": "2026-03-01", "until": "2026-02-01"},
    {"since": "yesterday"},
])  # fmt: skip
def test_bad_windows_are_400(pd, params):
    for path in ("/incidents", "/log_entries"):
        r = pd.api(path, params=params)
        assert r.status_code == 400 and r.json()["error"]["code"] == 2001 and r.json()["error"]["errors"]


def test_six_months_exactly_is_allowed(pd):
    assert pd.api("/incidents", params={"since": "2026-01-01T00:00:00Z", "until": "2026-07-01T00:00:00Z"}).ok


def test_incident_shape_and_explicit_cause(pd, db):
    items, _ = walk(pd, "/incidents", "incidents", {"date_range": "all", "limit": 100})
    rows = {r["id"]: r for r in db.execute("SELECT i.*, r.team_key FROM incidents i JOIN repos r ON r.id = i.repo_id")}
    causes = {"deployment": 0, "commit": 0, "none": 0}
    for inc in items:
        row = rows[decode("incident", inc["id"])]
        assert re.fullmatch(r"Q[0-9A-Z]{13}", inc["id"]) and inc["type"] == "incident"
        assert (inc["incident_number"], inc["title"], inc["status"], inc["urgency"]) == (
            row["number"], row["title"], row["status"], row["urgency"])  # fmt: skip
        assert inc["priority"]["summary"] == row["priority"] and inc["service"]["summary"] == row["service"]
        assert inc["service"]["type"] == "service_reference" and inc["teams"][0]["type"] == "team_reference"
        if row["deployment_id"]:
            assert inc["description"] == f"{row['title']} (deployment {row['deployment_id']})"
            causes["deployment"] += 1
        elif row["deployment_sha"]:
            assert inc["description"] == f"{row['title']} (commit {row['deployment_sha']})"
            assert re.search(r"\(commit [0-9a-f]{40}\)$", inc["description"])
            causes["commit"] += 1
        else:
            assert inc["description"] == inc["title"]
            causes["none"] += 1
        assert "truth_deployment_id" not in str(inc)
        assert inc["assignments"][0]["assignee"]["id"] == user_id(row["assignee_id"])
        assert inc["created_at"].endswith("Z") and (inc["resolved_at"] is None) == (row["resolved_at"] is None)
        if row["acknowledged_at"]:
            assert inc["acknowledgements"][0]["acknowledger"]["type"] == "user_reference"
    assert all(causes.values())
    one = pd.api(f"/incidents/{items[0]['id']}").json()["incident"]
    assert one == items[0]
    assert pd.api("/incidents/QNOPE").status_code == 404
    berlin = pd.api("/incidents", params={"date_range": "all", "limit": 1, "time_zone": "Europe/Berlin"}).json()
    assert berlin["incidents"][0]["created_at"].endswith("+01:00")


def test_log_entries_per_incident_and_account_wide(pd, db):
    inc = db.execute(f"SELECT i.id FROM incidents i {PAGED} WHERE i.escalated = 1 LIMIT 1").fetchone()["id"]
    entries = pd.api(f"/incidents/{encode('incident', inc)}/log_entries").json()["log_entries"]
    types = [e["type"] for e in entries]
    assert types == ["resolve_log_entry", "acknowledge_log_entry", "escalate_log_entry", "trigger_log_entry"]
    assert all(e["incident"]["id"] == encode("incident", inc) and e["incident"]["type"] == "incident_reference"
               for e in entries)  # fmt: skip
    by_type = {e["type"]: e for e in entries}
    assert by_type["acknowledge_log_entry"]["agent"]["type"] == "user_reference"
    assert by_type["trigger_log_entry"]["agent"]["type"] == "service_reference"
    assert by_type["escalate_log_entry"]["agent"] is None and by_type["trigger_log_entry"]["channel"]["type"]
    since, until = "2026-03-01T00:00:00Z", "2026-06-01T00:00:00Z"
    params = {"since": since, "until": until, "limit": 25, "is_overview": "true"}
    items, pages = walk(pd, "/log_entries", "log_entries", params)
    sql = (
        f"SELECT l.id FROM incident_log_entries l JOIN incidents i ON i.id = l.incident_id {PAGED} "
        "WHERE l.created_at >= ? AND l.created_at < ? ORDER BY l.created_at DESC, l.id DESC"
    )
    expected = db.execute(sql, (parse_iso(since), parse_iso(until))).fetchall()
    assert [decode("log_entry", e["id"]) for e in items] == [r["id"] for r in expected] and pages > 1


def test_services_teams_users(pd, db):
    services = pd.api("/services").json()["services"]
    assert sorted(s["name"] for s in services) == sorted(r[0] for r in db.execute("SELECT full_name FROM repos"))
    assert all(s["teams"] and s["escalation_policy"]["type"] == "escalation_policy_reference" for s in services)
    teams = pd.api("/teams").json()["teams"]
    assert {t["name"] for t in teams} == {r[0] for r in db.execute("SELECT name FROM teams")}
    users, _ = walk(pd, "/users", "users", {"limit": 7})
    people = {r["id"]: r for r in db.execute("SELECT * FROM people")}
    assert len(users) == len(people) and all(u["email"] for u in users)
    assert {u["id"] for u in users} == {user_id(pid) for pid in people}
    assert pd.api(f"/users/{users[0]['id']}").json()["user"] == users[0]
    assert [p["summary"] for p in pd.api("/priorities").json()["priorities"]] == ["P1", "P2", "P3", "P4", "P5"]


def test_statuses_filter(pd):
    resolved = pd.api("/incidents", params={"date_range": "all", "statuses[]": "resolved", "total": "true"}).json()
    others = pd.api("/incidents", params=[("date_range", "all"), ("statuses[]", "triggered"),
                                          ("statuses[]", "acknowledged"), ("total", "true")]).json()  # fmt: skip
    everything = pd.api("/incidents", params={"date_range": "all", "total": "true"}).json()
    assert resolved["total"] + others["total"] == everything["total"]


def test_rate_limit_fault_has_pagerduty_headers(server, pd):
    server.set_faults([{"kind": "rate_limit", "path_regex": "^/pagerduty/incidents", "retry_after": 3}])
    r = pd.api("/incidents", params={"date_range": "all"})
    assert r.status_code == 429 and r.json() == {"error": {"message": "Rate Limit Exceeded", "code": 2020}}
    assert r.headers["ratelimit-remaining"] == "0" and r.headers["ratelimit-reset"] == "3"
    assert "Retry-After" not in r.headers
    ok = pd.api("/incidents", params={"date_range": "all"})
    assert ok.status_code == 200 and int(ok.headers["ratelimit-remaining"]) > 0
    assert [(e["path"], e["status"]) for e in server.request_log()] == [("/pagerduty/incidents", 429),
                                                                         ("/pagerduty/incidents", 200)]  # fmt: skip


def test_github_still_served_at_root(server):
    r = requests.get(server.base_url + "/orgs/acme/repos", headers={"Authorization": "Bearer sim-token"}, timeout=10)
    assert r.status_code == 200 and "x-ratelimit-limit" in r.headers
