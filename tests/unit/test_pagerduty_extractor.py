"""The PagerDuty extractor over real loopback HTTP against a scripted PagerDuty that enforces the API's limits."""

from __future__ import annotations

import datetime as dt
import gzip
import re
from pathlib import Path

import pytest

from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext, iso_z, parse_time
from extractors.pagerduty import windows
from extractors.pagerduty.source import extract_account, make_session
from tests.landing_helpers import landed, manifests
from tests.scripted_server import ScriptedServer

UTC = dt.UTC
TOKEN = "pd-s3cret-token"
END = dt.datetime(2026, 6, 1, tzinfo=UTC)


def incident(n: int, created: dt.datetime, status: str = "triggered") -> dict:
    return {
        "id": f"Q{n:05d}",
        "type": "incident",
        "incident_number": n,
        "title": f"incident {n}",
        "created_at": iso_z(created),
        "status": status,
        "urgency": "high",
        "priority": {"id": "P1", "summary": "P1"},
        "service": {"id": "PSVC1", "summary": "Checkout API"},
    }


def entry(incident_id: str, n: int, kind: str, created: dt.datetime) -> dict:
    return {
        "id": f"R{incident_id}{n}",
        "type": f"{kind}_log_entry",
        "created_at": iso_z(created),
        "incident": {"id": incident_id, "type": "incident_reference"},
    }


class FakePagerDuty:
    """/incidents and /log_entries by since/until (<= 180 days), offset+limit <= cap, `total` when asked."""

    def __init__(self, incidents: list[dict], entries: list[dict], honour_total: bool = True, cap: int = 10_000):
        self.incidents, self.entries, self.honour_total, self.cap = incidents, entries, honour_total, cap
        self.fail: dict[str, tuple[int, dict, object]] = {}
        self.throttle: list[tuple[int, dict, object]] = []
        self.small = {
            "services": [{"id": "PSVC1", "name": "Checkout API"}],
            "teams": [{"id": "PT1", "name": "Pay"}],
            "users": [{"id": "PU1", "email": "ada@acme.test"}],
        }

    def __call__(self, path, query, headers):
        if headers.get("authorization") != f"Token token={TOKEN}":
            return 401, {}, {"error": {"message": "Authentication required", "code": 2006}}
        if self.throttle:
            return self.throttle.pop(0)
        if path in self.fail:
            return self.fail[path]
        match = re.fullmatch(r"/incidents/(\w+)", path)
        if match:
            found = [i for i in self.incidents if i["id"] == match.group(1)]
            return (200, {}, {"incident": found[0]}) if found else (404, {}, {"error": {"message": "Not Found"}})
        name = path.strip("/")
        if name in self.small:
            return 200, {}, self.page(name, self.small[name], query)
        records = {"incidents": self.incidents, "log_entries": self.entries}[name]
        since, until = parse_time(query["since"][0]), parse_time(query["until"][0])
        if until - since > dt.timedelta(days=180):
            return 400, {}, {"error": {"message": "Invalid Input Provided", "errors": ["Date range is too large"]}}
        assert query["time_zone"] == ["UTC"]
        if name == "log_entries":
            assert query["is_overview"] == ["false"]
        selected = [r for r in records if since <= parse_time(r["created_at"]) < until]
        return 200, {}, self.page(name, selected, query)

    def page(self, name, records, query):
        offset, limit = int(query["offset"][0]), int(query["limit"][0])
        if offset + limit > self.cap:
            return {"error": {"message": "Invalid Input Provided", "errors": ["Offset must be less than 10000"]}}
        body = {
            name: records[offset : offset + limit],
            "offset": offset,
            "limit": limit,
            "more": offset + limit < len(records),
            "total": None,
        }
        if self.honour_total and query.get("total") == ["true"]:
            body["total"] = len(records)
        return body


def context(tmp_path: Path, start: dt.datetime | None = None, end: dt.datetime = END) -> RunContext:
    return RunContext(
        source="pagerduty",
        kind="pagerduty",
        run_id=f"run-{iso_z(end)}",
        window_end=end,
        landing_dir=tmp_path / "landing",
        cursors=CursorStore(tmp_path / "state"),
        start_date=start,
    )


def org(days: int = 400, every_hours: int = 24) -> tuple[list[dict], list[dict]]:
    start = END - dt.timedelta(days=days)
    incidents, entries = [], []
    for n in range(days * 24 // every_hours):
        created = start + dt.timedelta(hours=every_hours * n, minutes=5)
        incidents.append(incident(n, created, status="resolved"))
        entries += [
            entry(f"Q{n:05d}", 0, "trigger", created - dt.timedelta(seconds=1)),
            entry(f"Q{n:05d}", 1, "acknowledge", created + dt.timedelta(minutes=3)),
            entry(f"Q{n:05d}", 2, "resolve", created + dt.timedelta(hours=2)),
        ]
    return incidents, entries


def test_first_run_splits_400_days_into_api_sized_windows_and_lands_everything(tmp_path):
    incidents, entries = org(days=400)
    fake = FakePagerDuty(incidents, entries)
    with ScriptedServer(fake) as server:
        session = make_session(server.url, Credentials(TOKEN))
        counts = extract_account(session, context(tmp_path, start=END - dt.timedelta(days=400)), "acme", page_size=100)
        paths = [p for p, _, _ in server.requests]
    assert counts == {"services": 1, "teams": 1, "users": 1, "incidents": 400, "log_entries": 1200}
    assert not any(re.fullmatch(r"/incidents/\w+", p) for p in paths)  # no per-incident requests
    windows_asked = {(q["since"][0], q["until"][0]) for p, q, _ in server.requests if p == "/incidents"}
    assert len(windows_asked) == 3
    landed_entries = landed(tmp_path, "log_entries")
    assert {(e["parent_id"], e["record_id"]) for e in landed_entries} == {
        (e["incident"]["id"], e["id"]) for e in entries
    }
    (manifest,) = manifests(tmp_path, "incidents")
    assert manifest["cursor"] == iso_z(END) and manifests(tmp_path, "log_entries")[0]["cursor"] is None
    headers = server.requests[0][2]
    assert headers["accept"] == "application/vnd.pagerduty+json;version=2"


def test_incremental_run_requests_only_what_changed(tmp_path):
    yesterday = END - dt.timedelta(days=1)
    old = [incident(n, yesterday - dt.timedelta(days=10 + n)) for n in range(5)]
    new = incident(99, END - dt.timedelta(hours=3))
    entries = [
        entry(new["id"], 0, "trigger", END - dt.timedelta(hours=3)),
        entry(new["id"], 1, "acknowledge", END - dt.timedelta(hours=2)),
        entry(old[2]["id"], 1, "acknowledge", END - dt.timedelta(hours=5)),
        entry(old[2]["id"], 2, "resolve", END - dt.timedelta(hours=1)),
        entry(old[4]["id"], 1, "escalate", END - dt.timedelta(hours=4)),
        entry(old[0]["id"], 1, "resolve", yesterday - dt.timedelta(hours=4)),
    ]  # before the window
    fake = FakePagerDuty([*old, new], entries)
    ctx = context(tmp_path, end=END)
    ctx.cursors.set("pagerduty", "incidents", "acme", iso_z(yesterday))
    with ScriptedServer(fake) as server:
        session = make_session(server.url, Credentials(TOKEN))
        counts = extract_account(session, ctx, "acme", page_size=100)
        paths = [p for p, _, _ in server.requests]
    refetched = sorted(p for p in paths if re.fullmatch(r"/incidents/\w+", p))
    assert refetched == [f"/incidents/{old[2]['id']}", f"/incidents/{old[4]['id']}"]  # each older one once
    assert session.counter.requests == 3 + 1 + 1 + 2  # services/teams/users, incidents, log entries, 2 re-reads
    assert counts["incidents"] == 3 and counts["log_entries"] == 5
    assert sorted(r["record_id"] for r in landed(tmp_path, "incidents")) == sorted(
        [new["id"], old[2]["id"], old[4]["id"]]
    )


@pytest.mark.parametrize("honour_total", [True, False], ids=["total-known", "total-unknown"])
def test_a_window_past_the_offset_cap_is_halved_and_nothing_is_lost_or_doubled(tmp_path, monkeypatch, honour_total):
    if not honour_total:
        monkeypatch.setattr(windows, "OFFSET_CAP", 50)  # same logic, fewer records
    cap = windows.OFFSET_CAP
    count = cap + 250
    start = END - dt.timedelta(days=20)
    step = dt.timedelta(days=20) / count
    incidents = [incident(n, start + step * n) for n in range(count)]
    fake = FakePagerDuty(incidents, [], honour_total=honour_total, cap=cap)
    page = 100 if honour_total else 10
    with ScriptedServer(fake) as server:
        session = make_session(server.url, Credentials(TOKEN))
        counts = extract_account(session, context(tmp_path, start=start), "acme", page_size=page)
        offsets = [int(q["offset"][0]) + int(q["limit"][0]) for p, q, _ in server.requests if p == "/incidents"]
    assert max(offsets) <= cap
    ids = [r["record_id"] for r in landed(tmp_path, "incidents")]
    assert len(ids) == len(set(ids)) == count == counts["incidents"]
    if honour_total:  # split before paging: one probe page per oversized window, none refetched
        assert session.counter.by_stream["incidents"] <= count // page + 2 + 3


def test_window_too_dense_to_split_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(windows, "OFFSET_CAP", 20)
    moment = END - dt.timedelta(hours=1)
    fake = FakePagerDuty([incident(n, moment) for n in range(30)], [], honour_total=False, cap=20)
    with ScriptedServer(fake) as server, pytest.raises(ExtractError, match="more than 20 records between"):
        extract_account(make_session(server.url, Credentials(TOKEN)), context(tmp_path, start=moment), "acme", 10)
    assert manifests(tmp_path, "incidents") == []


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"ratelimit-reset": "12", "ratelimit-remaining": "0"}, [12.0]), ({}, [1.0]), ({"Retry-After": "4"}, [4])],
    ids=["ratelimit-reset", "no-hint", "retry-after"],
)
def test_429_backs_off_even_without_retry_after(tmp_path, sleeps, headers, expected):
    fake = FakePagerDuty([incident(1, END - dt.timedelta(hours=1))], [])
    fake.throttle = [(429, headers, {"error": {"message": "Rate Limit Exceeded", "code": 2020}})]
    with ScriptedServer(fake) as server:
        counts = extract_account(
            make_session(server.url, Credentials(TOKEN)), context(tmp_path, END - dt.timedelta(days=1)), "acme"
        )
    assert counts["incidents"] == 1 and sleeps == expected


def test_a_failure_mid_run_publishes_no_cursor(tmp_path, sleeps):
    old = incident(1, END - dt.timedelta(days=30))
    fake = FakePagerDuty([old], [entry(old["id"], 1, "resolve", END - dt.timedelta(hours=1))])
    fake.fail[f"/incidents/{old['id']}"] = (503, {}, {"error": {"message": "Service Unavailable"}})
    ctx = context(tmp_path, start=END - dt.timedelta(days=1))
    with ScriptedServer(fake) as server, pytest.raises(ExtractError, match="503"):
        extract_account(make_session(server.url, Credentials(TOKEN)), ctx, "acme")
    assert manifests(tmp_path, "incidents") == [] and manifests(tmp_path, "log_entries") == []
    assert list((tmp_path / "landing").rglob(".tmp-*")) == []


def test_a_gone_incident_is_skipped_with_its_log_entries_kept(tmp_path):
    fake = FakePagerDuty([], [entry("QGONE", 1, "resolve", END - dt.timedelta(hours=1))])
    with ScriptedServer(fake) as server:
        counts = extract_account(
            make_session(server.url, Credentials(TOKEN)), context(tmp_path, END - dt.timedelta(days=1)), "acme"
        )
    assert counts["incidents"] == 0 and counts["log_entries"] == 1


def test_errors_show_the_vendor_message_and_the_token_lands_nowhere(tmp_path):
    fake = FakePagerDuty([incident(1, END - dt.timedelta(hours=1))], [])
    with ScriptedServer(fake) as server:
        with pytest.raises(ExtractError, match=r"401.*Authentication required.*check the token") as error:
            extract_account(make_session(server.url, Credentials("wrong-" + TOKEN)), context(tmp_path / "a"), "acme")
        assert TOKEN not in str(error.value)
        extract_account(
            make_session(server.url, Credentials(TOKEN)), context(tmp_path, END - dt.timedelta(days=1)), "acme"
        )
        fake.fail["/incidents"] = (400, {}, {"error": {"message": "Invalid Input Provided", "errors": ["Bad since"]}})
        with pytest.raises(ExtractError, match="400.*Invalid Input Provided; Bad since"):
            extract_account(make_session(server.url, Credentials(TOKEN)), context(tmp_path / "c"), "acme")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
            assert TOKEN.encode() not in data, path


def test_pipeline_runs_pagerduty_from_the_config(tmp_path, monkeypatch):
    import textwrap

    from extractors import pipeline
    from extractors.core.config import load_config

    monkeypatch.setenv("TEST_PD_TOKEN", TOKEN)
    fake = FakePagerDuty([incident(1, END - dt.timedelta(hours=2))], [entry("Q00001", 0, "trigger", END)])
    with ScriptedServer(fake) as server:
        path = tmp_path / "config.yml"
        path.write_text(
            textwrap.dedent(f"""
            warehouse: {{state_dir: {tmp_path / "data"}}}
            sources:
              - {{name: pd, kind: pagerduty, base_url: {server.url}, token_env: TEST_PD_TOKEN,
                  scopes: [{{account: acme}}], start_date: 2026-05-01, page_size: 25}}
        """)
        )
        config = load_config(path)
        assert pipeline.plan_scopes(config, "pd", END, "run1") == ["acme"]
        result = pipeline.extract_scope(config, "pd", "acme", END, "run1")
        assert {q["limit"][0] for p, q, _ in server.requests} == {"25"}
    assert result.records["incidents"] == 1 and result.records["log_entries"] == 0  # the entry is at END: next run
    assert result.requests == 5
    assert pipeline.load(config).by_table["raw.pagerduty__incidents"] == 1
    assert CursorStore(config.cursor_dir).get("pd", "incidents", "acme") == iso_z(END)
