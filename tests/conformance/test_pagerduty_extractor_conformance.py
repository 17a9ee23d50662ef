"""The PagerDuty extractor against PagerDuty payloads recorded by Faros' connector, replayed on loopback.

The recordings are bare lists; the offset/limit/more envelope follows PagerDuty's documentation.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections import Counter
from pathlib import Path

from extractors.core.credentials import Credentials
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext, parse_time
from extractors.pagerduty.source import extract_account, make_session
from tests.conformance.vendor import vendor_json
from tests.scripted_server import ScriptedServer

TOKEN = "conformance-pd-token"
FILES = {
    "incidents": "faros-incidents.json",
    "log_entries": "faros-incidentLogEntries.json",
    "services": "faros-services.json",
    "teams": "faros-teams.json",
    "users": "faros-users.json",
}


def replay(recorded: dict[str, list]):
    def handler(path, query, headers):
        assert headers["authorization"] == f"Token token={TOKEN}"
        name = path.strip("/")
        if name.startswith("incidents/"):
            found = [i for i in recorded["incidents"] if i["id"] == name.split("/")[1]]
            return 200, {}, {"incident": found[0]}
        records = recorded[name]
        if "since" in query:
            since, until = parse_time(query["since"][0]), parse_time(query["until"][0])
            records = [r for r in records if since <= parse_time(r["created_at"]) < until]
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        page = records[offset : offset + limit]
        return 200, {}, {name: page, "offset": offset, "limit": limit, "more": offset + limit < len(records)}

    return handler


def landed(root: Path, stream: str) -> list[dict]:
    lines = []
    for path in sorted(root.glob(f"*/{stream}/*/*.jsonl.gz")):
        with gzip.open(path) as handle:
            lines += [json.loads(line) for line in handle]
    return lines


def context(tmp_path: Path, start: dt.datetime, cursor: str | None = None) -> RunContext:
    cursors = CursorStore(tmp_path / "state")
    if cursor:
        cursors.set("pagerduty", "incidents", "acme", cursor)
    return RunContext(
        source="pagerduty",
        kind="pagerduty",
        run_id="conformance",
        landing_dir=tmp_path / "landing",
        window_end=dt.datetime(2021, 11, 1, tzinfo=dt.UTC),
        cursors=cursors,
        start_date=start,
    )


def test_recorded_incidents_log_entries_and_lists_land_as_received(tmp_path):
    recorded = {stream: vendor_json("pagerduty", name) for stream, name in FILES.items()}
    with ScriptedServer(replay(recorded)) as server:
        session = make_session(server.url, Credentials(TOKEN))
        counts = extract_account(session, context(tmp_path, dt.datetime(2021, 10, 1, tzinfo=dt.UTC)), "acme", 2)
        refetches = [p for p, _, _ in server.requests if p.startswith("/incidents/")]
    assert counts == {stream: len(records) for stream, records in recorded.items()}
    for stream, records in recorded.items():
        assert sorted(json.dumps(r["payload"], sort_keys=True) for r in landed(tmp_path / "landing", stream)) == sorted(
            json.dumps(r, sort_keys=True) for r in records
        ), stream
    incidents = landed(tmp_path / "landing", "incidents")
    assert {(i["payload"]["urgency"], i["payload"].get("priority")) for i in incidents} == {("high", None)}
    # Every incident created in the window got its log entries from the account-wide window, none re-read:
    # the counts per incident match what the per-incident endpoint would return.
    assert refetches == []
    per_incident = Counter(e["incident"]["id"] for e in recorded["log_entries"])
    assert Counter(e["parent_id"] for e in landed(tmp_path / "landing", "log_entries")) == per_incident
    assert set(per_incident) == {i["record_id"] for i in incidents}


def test_incremental_run_reads_only_the_newer_recorded_incidents(tmp_path):
    recorded = {stream: vendor_json("pagerduty", name) for stream, name in FILES.items()}
    ctx = context(tmp_path, None, cursor="2021-10-28T00:00:00Z")
    with ScriptedServer(replay(recorded)) as server:
        counts = extract_account(make_session(server.url, Credentials(TOKEN)), ctx, "acme")
    assert counts["incidents"] == 2 and counts["log_entries"] == 2
    assert {r["record_id"] for r in landed(tmp_path / "landing", "incidents")} == {"Q2KDNUM7R5JYEK", "Q1LAD3450AG7V9"}
