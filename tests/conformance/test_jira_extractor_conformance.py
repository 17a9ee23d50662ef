"""The Jira extractor against Atlassian's published examples (Jira Cloud OpenAPI v3), replayed on loopback.

The examples lack some paging envelopes; those follow Atlassian's documentation (a last page with
isLast: true), as ../shared/fixtures/vendor/NOTICE.md says.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

from extractors.core.credentials import Credentials
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.jira.source import extract_project, land_site, make_session
from tests.conformance.vendor import vendor_json
from tests.scripted_server import ScriptedServer

TOKEN = "conformance-jira-token"


def replay(examples: dict, search: dict | None = None):
    search = search or examples["GET /rest/api/3/search/jql"]
    changelog = examples["GET /rest/api/3/issue/{issueIdOrKey}/changelog"]
    projects = examples["GET /rest/api/3/project/search"]

    def handler(path, query, headers):
        if path == "/rest/api/3/myself":
            return 200, {}, {"accountId": "5b10a2844c20165700ede21g", "timeZone": "Australia/Sydney"}
        if path == "/rest/api/3/search/jql":
            return 200, {}, search
        if path.endswith("/changelog"):  # the vendor's page, then a documented last page
            first = query["startAt"] == ["0"]
            return 200, {}, changelog if first else {**changelog, "values": [], "isLast": True}
        if path == "/rest/api/3/project/search":
            first = query["startAt"] == ["0"]
            return 200, {}, projects if first else {**projects, "values": [], "isLast": True}
        if path == "/rest/api/3/status":
            return 200, {}, examples["GET /rest/api/3/status"]
        if path == "/rest/api/3/field":
            return 200, {}, examples["GET /rest/api/3/field"]
        return 404, {}, {"errorMessages": [f"not in the examples: {path}"]}

    return handler


def landed(root: Path, stream: str) -> list[dict]:
    lines = []
    for path in sorted(root.glob(f"*/{stream}/*/*.jsonl.gz")):
        with gzip.open(path) as handle:
            lines += [json.loads(line) for line in handle]
    return lines


def context(tmp_path: Path) -> RunContext:
    return RunContext(
        source="jira",
        kind="jira",
        run_id="conformance",
        landing_dir=tmp_path,
        window_end=dt.datetime(2021, 2, 1, tzinfo=dt.UTC),
        cursors=CursorStore(tmp_path / "state"),
        start_date=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
    )


def test_the_examples_placeholder_updated_is_quarantined_not_lost(tmp_path):
    examples = vendor_json("jira", "openapi-examples.json")
    vendor_issue = examples["GET /rest/api/3/search/jql"]["issues"][0]
    assert vendor_issue["fields"]["updated"] == 1  # the published example's placeholder, not a Jira timestamp
    with ScriptedServer(replay(examples)) as server:
        counts = extract_project(make_session(server.url, Credentials(TOKEN)), context(tmp_path), "ED")
    assert counts == {"issues": 0, "issue_changelogs": 0}
    (path,) = tmp_path.glob("*/issues/*/*.jsonl.gz")
    (line,) = [json.loads(x) for x in gzip.decompress(path.read_bytes()).splitlines()]
    assert "fields.updated" in line["quarantine_reason"] and json.loads(line["raw"]) == vendor_issue


def test_search_jql_issues_land_with_their_paged_changelogs(tmp_path):
    examples = vendor_json("jira", "openapi-examples.json")
    # The example's `updated` is the placeholder 1; give it the documented format (the example's own
    # comment timestamp) so the issue lands.
    search = json.loads(json.dumps(examples["GET /rest/api/3/search/jql"]))
    search["issues"][0]["fields"]["updated"] = "2021-01-18T23:45:00.000+0000"
    with ScriptedServer(replay(examples, search)) as server:
        session = make_session(server.url, Credentials(TOKEN, user="mia@example.com"))
        counts = extract_project(session, context(tmp_path), "ED")
        jql = next(q["jql"][0] for p, q, _ in server.requests if p == "/rest/api/3/search/jql")
    vendor_issues = search["issues"]
    vendor_histories = examples["GET /rest/api/3/issue/{issueIdOrKey}/changelog"]["values"]
    assert counts == {"issues": len(vendor_issues), "issue_changelogs": len(vendor_histories)}
    issues = landed(tmp_path, "issues")
    assert [line["payload"] for line in issues] == vendor_issues  # as received (no changelog key to strip)
    assert [line["record_id"] for line in issues] == ["10002"]
    histories = landed(tmp_path, "issue_changelogs")
    assert [h["payload"] for h in histories] == vendor_histories
    assert {h["parent_id"] for h in histories} == {"10002"}
    # The UTC window [2021-01-01, 2021-02-01) written in the user's zone (Sydney, UTC+11 in January).
    assert 'updated >= "2021/01/01 11:00" AND updated < "2021/02/01 11:00"' in jql
    (manifest,) = (json.loads(p.read_text()) for p in tmp_path.glob("*/issues/*/*.manifest.json"))
    assert manifest["cursor"] == "2021-01-18T23:45:00Z"


def test_projects_statuses_and_fields_land_whole(tmp_path):
    examples = vendor_json("jira", "openapi-examples.json")
    with ScriptedServer(replay(examples)) as server:
        counts = land_site(make_session(server.url, Credentials(TOKEN)), context(tmp_path), 50, {"sprint": "Sprint"})
    assert counts == {"projects": 2, "statuses": 2, "fields": 2}
    assert [p["payload"]["key"] for p in landed(tmp_path, "projects")] == ["EX", "ABC"]
    assert [s["payload"] for s in landed(tmp_path, "statuses")] == examples["GET /rest/api/3/status"]
    assert [f["record_id"] for f in landed(tmp_path, "fields")] == ["description", "summary"]
    for path in tmp_path.rglob("*.jsonl.gz"):
        assert TOKEN.encode() not in gzip.decompress(path.read_bytes())
