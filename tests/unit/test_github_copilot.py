"""GitHub's Copilot streams over real loopback HTTP: seats paged by Link headers, metrics asked by whole days,
and an org without Copilot (403/404/422) landing nothing with a warning instead of failing the run."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github import runner
from extractors.github.copilot import extract_org
from extractors.github.settings import GithubSettings
from extractors.github.source import make_session
from tests.landing_helpers import landed, manifests
from tests.scripted_server import ScriptedServer

END = dt.datetime(2026, 3, 1, 6, 30, tzinfo=dt.UTC)
TOKEN = "copilot-test-token"  # noqa: S105 - a test value


def context(tmp_path, start: dt.datetime | None = None) -> RunContext:
    return RunContext(source="gh", kind="github", run_id="r1", window_end=END, landing_dir=tmp_path / "landing",
                      cursors=CursorStore(tmp_path / "state"), start_date=start)  # fmt: skip


def seat(user_id: int, created: str, pending: str | None = None) -> dict:
    user = {"login": f"user{user_id}", "id": user_id, "type": "User"}
    return {"created_at": created, "updated_at": created, "pending_cancellation_date": pending,
            "plan_type": "business", "assignee": user}  # fmt: skip


def seats_handler(seats: list[dict], per_page_seen: list[str]):
    def handler(path, query, headers):
        if path != "/orgs/acme/copilot/billing/seats":
            return 404, {}, {"message": "Not Found"}
        per_page_seen.append(query["per_page"][0])
        size, page = int(query["per_page"][0]), int(query.get("page", ["1"])[0])
        body = {"total_seats": len(seats), "seats": seats[(page - 1) * size : page * size]}
        more = page * size < len(seats)
        link = f'<http://127.0.0.1:{handler.port}{path}?per_page={size}&page={page + 1}>; rel="next"' if more else ""
        return 200, ({"Link": link} if link else {}), body

    return handler


def test_seats_are_paged_by_link_headers_and_each_grant_is_a_record(tmp_path):
    seats = [seat(i, f"2026-02-0{1 + i % 5}T10:00:00Z") for i in range(1, 6)]
    seats.append(seat(3, "2026-02-20T09:00:00Z", pending="2026-03-15"))  # user 3 granted again later
    seats.append({"created_at": "2026-02-01T00:00:00Z", "assignee": None})  # no assignee: no key
    seen: list[str] = []
    handler = seats_handler(seats, seen)
    with ScriptedServer(handler) as server:
        handler.port = server.url.rsplit(":", 1)[1]
        counts = extract_org(make_session(server.url, TOKEN), context(tmp_path), "acme", page_size=2,
                             streams=("copilot_seats",))  # fmt: skip
    assert counts == {"copilot_seats": 6}
    assert seen == ["2", "2", "2", "2"]  # four pages of two
    lines = landed(tmp_path, "copilot_seats")
    ids = sorted(line["record_id"] for line in lines if "record_id" in line)
    assert ids[:2] == ["1:2026-02-02T10:00:00Z", "2:2026-02-03T10:00:00Z"]
    assert "3:2026-02-04T10:00:00Z" in ids and "3:2026-02-20T09:00:00Z" in ids
    assert [line["quarantine_reason"] for line in lines if "quarantine_reason" in line] == ["record has no primary key"]
    assert manifests(tmp_path, "copilot_seats")[0]["cursor"] is None  # a full list: no cursor


def test_metrics_ask_whole_days_before_the_window_end_and_keep_the_end_as_cursor(tmp_path):
    days = [{"date": f"2026-02-{d:02d}", "total_active_users": d} for d in range(25, 29)]
    days += [{"date": "2026-03-01", "total_active_users": 1}, {"date": "not a date", "total_active_users": 2}]
    asked: list[dict] = []

    def handler(path, query, headers):
        asked.append({k: v[0] for k, v in query.items()})
        return 200, {}, days

    with ScriptedServer(handler) as server:
        start = dt.datetime(2026, 2, 25, 12, tzinfo=dt.UTC)
        counts = extract_org(make_session(server.url, TOKEN), context(tmp_path, start), "acme",
                             streams=("copilot_metrics",))  # fmt: skip
    assert asked == [{"since": "2026-02-25T00:00:00Z", "until": "2026-03-01T00:00:00Z", "per_page": "100"}]
    # 2026-03-01 is the day the window ends in: not over yet, left for the next run; a bad date lands for staging
    assert counts == {"copilot_metrics": 5}
    assert sorted(line["record_id"] for line in landed(tmp_path, "copilot_metrics"))[-1] == "not a date"
    assert manifests(tmp_path, "copilot_metrics")[0]["cursor"] == "2026-03-01T00:00:00Z"


def test_metrics_history_is_at_most_100_days(tmp_path):
    asked: list[str] = []

    def handler(path, query, headers):
        asked.append(query["since"][0])
        return 200, {}, []

    with ScriptedServer(handler) as server:
        extract_org(make_session(server.url, TOKEN), context(tmp_path), "acme", streams=("copilot_metrics",))
    assert asked == ["2025-11-21T00:00:00Z"]  # 100 days before 2026-03-01


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (404, "Not Found"),
        (403, "Resource not accessible by personal access token"),
        (422, "Copilot Usage Metrics API setting is disabled at the organization or enterprise level."),
    ],
)
def test_an_org_without_copilot_lands_nothing_and_warns(tmp_path, caplog, status, message):
    def handler(path, query, headers):
        return status, {}, {"message": message, "documentation_url": "https://docs.github.com/rest"}

    with ScriptedServer(handler) as server, caplog.at_level(logging.WARNING, logger="extractors.github.copilot"):
        counts = extract_org(make_session(server.url, TOKEN), context(tmp_path), "acme")
    assert counts == {"copilot_seats": 0, "copilot_metrics": 0}
    assert landed(tmp_path, "copilot_seats") == [] and manifests(tmp_path, "copilot_metrics") == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("org acme: copilot_" in w and message in w for w in warnings), warnings
    assert str(status) in warnings[0]


def test_a_server_error_still_fails_the_org(tmp_path, sleeps):
    def handler(path, query, headers):
        return 400, {}, {"message": "Bad request"}

    with ScriptedServer(handler) as server, pytest.raises(ExtractError, match="400"):
        extract_org(make_session(server.url, TOKEN), context(tmp_path), "acme")


def test_plan_adds_each_org_as_a_scope_and_extract_reads_its_copilot_streams(tmp_path):
    def handler(path, query, headers):
        if path == "/orgs/acme/repos":
            return 200, {}, [{"id": 1, "full_name": "acme/api", "archived": False}]
        if path == "/orgs/acme/copilot/billing/seats":
            return 200, {}, {"total_seats": 1, "seats": [seat(7, "2026-02-01T00:00:00Z")]}
        return 404, {}, {"message": "Not Found"}

    with ScriptedServer(handler) as server:
        settings = GithubSettings.model_validate({"name": "gh", "kind": "github", "base_url": server.url,
                                                  "token_env": "T", "scopes": [{"org": "acme"}]})  # fmt: skip
        assert runner.plan(settings, context(tmp_path), Credentials(token=TOKEN)) == ["acme/api", "acme"]
        records, _ = runner.extract(settings, context(tmp_path), "acme", Credentials(token=TOKEN))
        assert records == {"copilot_seats": 1, "copilot_metrics": 0}
        only_repos = settings.model_copy(update={"streams": ("repositories", "commits")})
        assert runner.plan(only_repos, context(tmp_path), Credentials(token=TOKEN)) == ["acme/api"]
