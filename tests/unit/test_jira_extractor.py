"""The Jira extractor over real loopback HTTP against a small scripted Jira (JQL read in Europe/Berlin)."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import logging
import re
import textwrap
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from extractors import pipeline
from extractors.core.config import ConfigError, load_config
from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.jira.source import extract_project, land_site, make_session
from tests.landing_helpers import landed, manifests
from tests.scripted_server import ScriptedServer

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
TOKEN = "jira-s3cret-token"
LITERAL = re.compile(r'updated (>=|<) "([^"]+)"')


def jira_time(moment: dt.datetime) -> str:
    return moment.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + moment.astimezone(BERLIN).strftime("%z")


def make_issue(n: int, updated: dt.datetime, histories: int = 1) -> dict:
    return {
        "id": str(10000 + n),
        "key": f"CHK-{n}",
        "fields": {"updated": jira_time(updated), "summary": f"issue {n}", "issuetype": {"name": "Story"}},
        "histories": [
            {"id": f"{n}{h:03d}", "created": jira_time(updated), "items": [{"field": "status", "toString": "Done"}]}
            for h in range(histories)
        ],
    }


class FakeJira:
    """search/jql with nextPageToken, inline changelogs of at most `inline_max` histories, paged changelogs."""

    def __init__(self, issues: list[dict], fold: int = 0, inline_max: int = 100, zone: str = "Europe/Berlin"):
        self.issues, self.fold, self.inline_max, self.zone = issues, fold, inline_max, zone
        self.fail: dict[str, tuple[int, dict, object]] = {}
        self.throttle_once: set[str] = set()

    def literal(self, text: str) -> dt.datetime:
        local = dt.datetime.strptime(text, "%Y/%m/%d %H:%M")
        return local.replace(tzinfo=ZoneInfo(self.zone), fold=self.fold).astimezone(UTC)

    def __call__(self, path, query, headers):
        for prefix, answer in self.fail.items():
            if path.startswith(prefix):
                return answer
        for prefix in list(self.throttle_once):
            if path.startswith(prefix):
                self.throttle_once.discard(prefix)
                return 429, {"Retry-After": "3"}, {"errorMessages": ["Rate limit exceeded"]}
        if path == "/rest/api/3/myself":
            return 200, {}, {"accountId": "me", "timeZone": self.zone}
        if path == "/rest/api/3/search/jql":
            return 200, {}, self.search(query)
        match = re.fullmatch(r"/rest/api/3/issue/([A-Z]+-\d+)/changelog", path)
        if match:
            issue = next(i for i in self.issues if i["key"] == match.group(1))
            start, size = int(query["startAt"][0]), int(query["maxResults"][0])
            values = issue["histories"][start : start + size]
            total = len(issue["histories"])
            return (
                200,
                {},
                {
                    "startAt": start,
                    "maxResults": size,
                    "total": total,
                    "values": values,
                    "isLast": start + size >= total,
                },
            )
        return 404, {}, {"errorMessages": [f"no route {path}"]}

    def search(self, query):
        jql = query["jql"][0]
        project = re.search(r'project in \("([A-Z]+)"\)', jql).group(1)
        matches = [i for i in self.issues if i["key"].startswith(f"{project}-")]
        for op, text in LITERAL.findall(jql):
            bound = self.literal(text)
            matches = [i for i in matches if (updated_utc(i) >= bound if op == ">=" else updated_utc(i) < bound)]
        matches = sorted(matches, key=lambda i: (updated_utc(i), i["key"]))
        start, size = int(query.get("nextPageToken", ["0"])[0]), int(query["maxResults"][0])
        page = []
        for issue in matches[start : start + size]:
            histories = issue["histories"]
            body = {k: v for k, v in issue.items() if k != "histories"}
            body["changelog"] = {
                "startAt": 0,
                "maxResults": self.inline_max,
                "total": len(histories),
                "histories": histories[: self.inline_max],
            }
            page.append(body)
        result = {"issues": page, "isLast": start + size >= len(matches)}
        if not result["isLast"]:
            result["nextPageToken"] = str(start + size)
        return result


def updated_utc(issue: dict) -> dt.datetime:
    text = issue["fields"]["updated"]
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)


def context(tmp_path: Path, window_end: dt.datetime, start: dt.datetime | None = None) -> RunContext:
    return RunContext(
        source="jira",
        kind="jira",
        run_id="run1",
        window_end=window_end,
        landing_dir=tmp_path / "landing",
        cursors=CursorStore(tmp_path / "state"),
        start_date=start,
    )


@pytest.mark.parametrize("fold", [0, 1], ids=["overlap-read-as-CEST", "overlap-read-as-CET"])
def test_exact_utc_window_across_the_autumn_dst_change(tmp_path, fold):
    # Window [00:30Z, 01:30Z) on 2026-10-25 is [02:30 CEST, 02:30 CET): the same wall clock twice.
    since, until = dt.datetime(2026, 10, 25, 0, 30, 20, tzinfo=UTC), dt.datetime(2026, 10, 25, 1, 30, 40, tzinfo=UTC)
    moments = [
        since - dt.timedelta(seconds=10),
        since,
        since + dt.timedelta(minutes=20),
        dt.datetime(2026, 10, 25, 1, 0, 0, tzinfo=UTC),
        until - dt.timedelta(milliseconds=1),
        until,
        until + dt.timedelta(seconds=5),
        since - dt.timedelta(hours=1),
        until + dt.timedelta(hours=1),
    ]
    issues = [make_issue(n, moment) for n, moment in enumerate(moments)]
    fake = FakeJira(issues, fold=fold)
    ctx = context(tmp_path, until, start=since)
    with ScriptedServer(fake) as server:
        counts = extract_project(make_session(server.url, Credentials(TOKEN)), ctx, "CHK", page_size=100)
    expected = [i["id"] for i in issues if since <= updated_utc(i) < until]
    assert sorted(r["record_id"] for r in landed(tmp_path, "issues")) == sorted(expected)
    assert counts == {"issues": 4, "issue_changelogs": 4}
    (manifest,) = manifests(tmp_path, "issues")
    assert manifest["cursor"] == "2026-10-25T01:30:39Z"  # the newest updated landed (whole seconds, floored)


def test_spring_forward_window_lands_issues_on_both_sides_of_the_gap(tmp_path):
    since, until = dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    issues = [make_issue(n, since + dt.timedelta(minutes=10 * n)) for n in range(7)]  # 00:30Z .. 01:30Z
    with ScriptedServer(FakeJira(issues)) as server:
        extract_project(make_session(server.url, Credentials(TOKEN)), context(tmp_path, until, since), "CHK")
        jql = next(q["jql"][0] for p, q, _ in server.requests if p.endswith("/search/jql"))
    assert 'updated >= "2026/03/29 01:30" AND updated < "2026/03/29 03:30"' in jql  # 01:30 CET .. 03:30 CEST
    assert [r["record_id"] for r in landed(tmp_path, "issues")] == [i["id"] for i in issues[:6]]


def test_paging_inline_and_paged_changelogs(tmp_path):
    base = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    issues = [make_issue(n, base + dt.timedelta(minutes=n), histories=[1, 2, 5, 0, 2][n]) for n in range(5)]
    fake = FakeJira(issues, inline_max=2)
    with ScriptedServer(fake) as server:
        session = make_session(server.url, Credentials(TOKEN))
        counts = extract_project(session, context(tmp_path, base + dt.timedelta(days=1)), "CHK", page_size=2)
        requests = [(p, q) for p, q, _ in server.requests]
    searches = [q for p, q in requests if p.endswith("/search/jql")]
    assert len(searches) == 3  # 5 issues, 2 a page
    assert all(q["maxResults"] == ["2"] and q["fields"] == ["*all"] and q["expand"] == ["changelog"] for q in searches)
    assert [q.get("nextPageToken") for q in searches] == [None, ["2"], ["4"]]
    # Only CHK-2 (5 histories, 2 inline) is paged: startAt 0, 2, 4 with maxResults = page size.
    changelog_calls = [(p, q["startAt"][0]) for p, q in requests if p.endswith("/changelog")]
    assert changelog_calls == [("/rest/api/3/issue/CHK-2/changelog", s) for s in ("0", "2", "4")]
    assert counts == {"issues": 5, "issue_changelogs": 10}
    assert session.counter.requests == 1 + 3 + 3  # myself + searches + changelog pages
    issues_landed = landed(tmp_path, "issues")
    assert all("changelog" not in line["payload"] for line in issues_landed)
    histories = landed(tmp_path, "issue_changelogs")
    assert sorted((h["parent_id"], h["record_id"]) for h in histories) == sorted(
        (i["id"], h["id"]) for i in issues for h in i["histories"]
    )


def test_a_failure_mid_run_publishes_no_cursor_and_no_partial_file(tmp_path, sleeps):
    base = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    issues = [make_issue(n, base + dt.timedelta(minutes=n), histories=3) for n in range(4)]
    fake = FakeJira(issues, inline_max=1)
    fake.fail["/rest/api/3/issue/CHK-2/"] = (500, {}, {"errorMessages": ["boom"]})
    with ScriptedServer(fake) as server, pytest.raises(ExtractError, match="500"):
        extract_project(make_session(server.url, Credentials(TOKEN)), context(tmp_path, base + dt.timedelta(1)), "CHK")
    assert manifests(tmp_path, "issues") == [] and manifests(tmp_path, "issue_changelogs") == []
    assert list((tmp_path / "landing").rglob("*.jsonl.gz")) == []
    assert list((tmp_path / "landing").rglob(".tmp-*")) == []
    # The retry, once the API is back, lands everything.
    fake.fail.clear()
    with ScriptedServer(fake) as server:
        extract_project(make_session(server.url, Credentials(TOKEN)), context(tmp_path, base + dt.timedelta(1)), "CHK")
    assert len(landed(tmp_path, "issues")) == 4 and len(landed(tmp_path, "issue_changelogs")) == 12


def test_429_with_retry_after_is_waited_out(tmp_path, sleeps):
    base = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    fake = FakeJira([make_issue(1, base)])
    fake.throttle_once.add("/rest/api/3/search/jql")
    with ScriptedServer(fake) as server:
        counts = extract_project(
            make_session(server.url, Credentials(TOKEN)), context(tmp_path, base.replace(day=2)), "CHK"
        )
    assert counts["issues"] == 1 and sleeps == [3]


def test_basic_auth_with_a_user_bearer_without_and_the_token_lands_nowhere(tmp_path):
    base = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    fake = FakeJira([make_issue(1, base)])
    with ScriptedServer(fake) as server:
        extract_project(
            make_session(server.url, Credentials(TOKEN, user="ada@acme.test")),
            context(tmp_path, base.replace(day=2)),
            "CHK",
        )
        extract_project(
            make_session(server.url, Credentials(TOKEN)), context(tmp_path / "b", base.replace(day=2)), "CHK"
        )
        auth = [h["authorization"] for _, _, h in server.requests]
    basic = "Basic " + base64.b64encode(f"ada@acme.test:{TOKEN}".encode()).decode()
    assert auth[0] == basic and auth[-1] == f"Bearer {TOKEN}"
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            text = gzip.decompress(data) if path.suffix == ".gz" else data
            assert TOKEN.encode() not in text and basic.split()[1].encode() not in text, path


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"errorMessages": ["Field 'updatd' does not exist."], "errors": {}}, r"400.*Field 'updatd' does not"),
        (401, {"errorMessages": ["Client must be authenticated"]}, r"401.*must be authenticated.*check the token"),
        (403, {"errorMessages": ["You do not have permission"]}, r"403.*do not have permission.*lacks permission"),
    ],
)
def test_client_errors_show_the_vendor_message_never_the_token(tmp_path, status, body, expected):
    fake = FakeJira([])
    fake.fail["/rest/api/3/search/jql"] = (status, {}, body)
    with ScriptedServer(fake) as server, pytest.raises(ExtractError, match=expected) as error:
        extract_project(make_session(server.url, Credentials(TOKEN)), context(tmp_path, dt.datetime.now(UTC)), "CHK")
    assert TOKEN not in str(error.value)
    assert manifests(tmp_path, "issues") == []


SITE = {
    "/rest/api/3/status": [
        {"id": "1", "name": "To Do", "statusCategory": {"id": 2, "key": "new"}},
        {"id": "3", "name": "In Progress", "statusCategory": {"id": 4, "key": "indeterminate"}},
        {"id": "10001", "name": "Done", "statusCategory": {"id": 3, "key": "done"}},
    ],
    "/rest/api/3/field": [
        {"id": "summary", "name": "Summary", "custom": False},
        {"id": "customfield_10016", "name": "Story point estimate", "custom": True},
        {"id": "customfield_10020", "name": "Sprint", "custom": True},
    ],
}
PROJECTS = [{"id": str(10000 + n), "key": key, "name": key.title()} for n, key in enumerate(["CHK", "LED", "OPS"])]


def site_handler(fake: FakeJira):
    def handler(path, query, headers):
        if path in SITE:
            return 200, {}, SITE[path]
        if path == "/rest/api/3/project/search":
            start, size = int(query["startAt"][0]), int(query["maxResults"][0])
            return (
                200,
                {},
                {
                    "startAt": start,
                    "maxResults": size,
                    "total": len(PROJECTS),
                    "isLast": start + size >= len(PROJECTS),
                    "values": PROJECTS[start : start + size],
                },
            )
        return fake(path, query, headers)

    return handler


def write_config(tmp_path: Path, base_url: str, fields: str = "") -> Path:
    path = tmp_path / "config.yml"
    path.write_text(
        textwrap.dedent(f"""
        warehouse: {{state_dir: {tmp_path / "data"}}}
        sources:
          - name: jira
            kind: jira
            base_url: {base_url}
            token_env: TEST_JIRA_TOKEN
            user_env: TEST_JIRA_USER
            page_size: 2
            start_date: 2026-01-01
            scopes: [{{project: CHK}}, {{project: LED}}]
            {fields}
    """)
    )
    return path


def test_pipeline_plan_lands_site_lists_and_extract_lands_a_project(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("TEST_JIRA_TOKEN", TOKEN)
    monkeypatch.setenv("TEST_JIRA_USER", "ada@acme.test")
    base = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    fake = FakeJira([make_issue(1, base, histories=2)])
    end = dt.datetime(2026, 3, 1, tzinfo=UTC)
    with ScriptedServer(site_handler(fake)) as server, caplog.at_level(logging.WARNING):
        config = load_config(write_config(tmp_path, server.url, 'fields: {story_points: "Story Pointz"}'))
        scopes = pipeline.plan_scopes(config, "jira", end, "run1")
        result = pipeline.extract_scope(config, "jira", "CHK", end, "run1")
    assert scopes == ["CHK", "LED"]
    data = tmp_path / "data"
    assert [r["record_id"] for r in landed(data, "projects")] == ["10000", "10001", "10002"]  # startAt paging
    assert {r["payload"]["statusCategory"]["key"] for r in landed(data, "statuses")} == {"new", "indeterminate", "done"}
    assert len(landed(data, "fields")) == 3
    assert {m["scope"] for s in ("projects", "statuses", "fields") for m in manifests(data, s)} == {"site"}
    assert "story_points='Story Pointz'" in caplog.text and "Sprint, Story point estimate" in caplog.text
    assert result.records == {"issues": 1, "issue_changelogs": 2} and result.requests == 2
    assert all(h["authorization"].startswith("Basic ") for _, _, h in server.requests)


def test_pipeline_loads_jira_streams_into_raw_tables(tmp_path, monkeypatch):
    import duckdb

    monkeypatch.setenv("TEST_JIRA_TOKEN", TOKEN)
    monkeypatch.setenv("TEST_JIRA_USER", "ada@acme.test")
    fake = FakeJira([make_issue(1, dt.datetime(2026, 2, 1, 12, tzinfo=UTC), histories=2)])
    end = dt.datetime(2026, 3, 1, tzinfo=UTC)
    with ScriptedServer(site_handler(fake)) as server:
        config = load_config(write_config(tmp_path, server.url))
        for scope in pipeline.plan_scopes(config, "jira", end, "run1"):
            pipeline.extract_scope(config, "jira", scope, end, "run1")
    summary = pipeline.load(config)
    assert summary.by_table["raw.jira__issues"] == 1 and summary.by_table["raw.jira__issue_changelogs"] == 2
    with duckdb.connect(str(config.duckdb_path), read_only=True) as conn:
        assert conn.execute("select parent_id from raw.jira__issue_changelogs").fetchall() == [("10001",)] * 2
        fields = conn.execute("select role, field from raw.config__jira_fields order by all").fetchall()
        assert fields == [
            ("sprint", "Sprint"),
            ("story_points", "Story Points"),
            ("story_points", "Story point estimate"),
        ]
        assert conn.execute(
            "select canonical_type from raw.config__work_item_types where issue_type = 'bug'"
        ).fetchall() == [("bug",)]
    assert CursorStore(config.cursor_dir).get("jira", "issues", "CHK") == "2026-02-01T12:00:00Z"
    assert CursorStore(config.cursor_dir).get("jira", "issues", "LED") is None  # nothing landed: no cursor


def server_dc_handler(fake: FakeJira):
    """Jira Server / Data Center under a context path: REST v2 only, search by startAt/total."""

    def handler(path, query, headers):
        if not path.startswith("/jira/rest/api/2/"):
            return 404, {}, {"errorMessages": ["null for uri: " + path]}
        path = path.removeprefix("/jira").replace("/rest/api/2/", "/rest/api/3/")
        if path == "/rest/api/3/search":
            start = int(query.get("startAt", ["0"])[0])
            body = fake.search({**query, "nextPageToken": [str(start)]})
            body.pop("isLast"), body.pop("nextPageToken", None)
            total = len(fake.search({**query, "maxResults": ["1000"]})["issues"])
            return 200, {}, {"startAt": start, "maxResults": int(query["maxResults"][0]), "total": total, **body}
        if path == "/rest/api/3/project":
            return 200, {}, PROJECTS
        return site_handler(fake)(path, query, headers)

    return handler


def test_server_data_center_rest_v2_under_a_context_path(tmp_path):
    base = dt.datetime(2026, 2, 1, 12, tzinfo=UTC)
    issues = [make_issue(n, base + dt.timedelta(minutes=n), histories=2) for n in range(5)]
    fake = FakeJira(issues)  # inline changelogs are complete, as Server/DC sends them
    with ScriptedServer(server_dc_handler(fake)) as server:
        session = make_session(server.url + "/jira", Credentials(TOKEN))
        counts = extract_project(session, context(tmp_path, base + dt.timedelta(days=1)), "CHK", page_size=2)
        site = land_site(session, context(tmp_path / "site", base), 2, {})
        paths = [p for p, _, _ in server.requests]
    assert counts == {"issues": 5, "issue_changelogs": 10}
    assert site == {"projects": 3, "statuses": 3, "fields": 3}
    assert paths.count("/jira/rest/api/2/search") == 3 and "/jira/rest/api/2/project" in paths
    assert [r["record_id"] for r in landed(tmp_path, "issues")] == [i["id"] for i in issues]


def test_a_missing_user_env_variable_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("TEST_JIRA_TOKEN", TOKEN)
    monkeypatch.delenv("TEST_JIRA_USER", raising=False)
    config = load_config(write_config(tmp_path, "http://127.0.0.1:9"))
    with pytest.raises(ConfigError, match="TEST_JIRA_USER"):
        pipeline.plan_scopes(config, "jira", dt.datetime.now(UTC), "run1")
