"""The simulator's Copilot endpoints over loopback HTTP agree with its seat truth and its adoption story."""

import json
from datetime import date, timedelta

import pytest
import requests

from simulator import SimServer, generate
from simulator.copilot import holders_on, org_grants, seat_grants
from simulator.org import build_org
from simulator.profiles import get_profile
from simulator.repo_sim import adopted
from simulator.timeutil import WEEK, epoch, parse_iso, utc_date

AUTH = {"Authorization": "Bearer sim-token"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("copilot"))


@pytest.fixture(scope="module")
def server(out):
    with SimServer(out, port=0, token="sim-token") as srv:
        yield srv


@pytest.fixture(scope="module")
def truth(out):
    return json.loads((out / "ground_truth_ai_tool_seats.json").read_text())


def walk(url: str, params: dict) -> tuple[list, int, list]:
    """Every page by rel="next": (seats, pages, total_seats of each page)."""
    seats, pages, totals = [], 0, []
    while url:
        reply = requests.get(url, params=params, headers=AUTH, timeout=10)
        reply.raise_for_status()
        seats += reply.json()["seats"]
        totals.append(reply.json()["total_seats"])
        pages, url, params = pages + 1, reply.links.get("next", {}).get("url"), None
    return seats, pages, totals


def test_listed_seats_are_the_truths_listed_grants_paged_by_link_headers(server, truth):
    seats, pages, totals = walk(f"{server.base_url}/orgs/acme/copilot/billing/seats", {"per_page": 5})
    listed = {k: v for k, v in truth.items() if v["listed_by_api"]}
    assert pages == -(-len(listed) // 5) > 1 and set(totals) == {len(listed)}
    got = {f"{s['assignee']['login'].replace('-', '_')}:{s['created_at'][:10]}": s for s in seats}
    assert set(got) == set(listed)
    for key, seat in got.items():
        assert seat["pending_cancellation_date"] == listed[key]["valid_to"]
        assert seat["assignee"]["type"] == "User" and seat["plan_type"] == "business"
    # the story has both kinds of cancellation: one still billed (listed, with its date), one already gone
    assert any(s["pending_cancellation_date"] for s in seats)
    assert any(not v["listed_by_api"] for v in truth.values())


def test_seats_follow_adoption_only_in_adopting_teams(truth):
    org = build_org(get_profile("demo"), 7)
    teams = {t.key: t for t in org.teams}
    people = {p.key: p for p in org.people}
    start = epoch(org.profile.start)
    for seat in truth.values():
        team, person = teams[seat["team_key"]], people[seat["person_id"]]
        week = (epoch(date.fromisoformat(seat["valid_from"])) - start) // WEEK
        assert team.adoption_week is not None and adopted(org, team, person, week)
        if seat["valid_to"] is None or seat["valid_from"] == min(
            s["valid_from"] for s in truth.values() if s["person_id"] == seat["person_id"]
        ):
            assert week == 0 or not adopted(org, team, person, week - 1)  # the seat comes with adoption
    assert {s["team_key"] for s in truth.values()} == {t.key for t in org.teams if t.adoption_week is not None}
    assert seat_grants(org) == seat_grants(build_org(get_profile("demo"), 7))  # deterministic


def test_daily_metrics_count_users_among_the_seat_holders(server, out):
    meta = json.loads((out / "org.json").read_text())["window"]
    observed = parse_iso(meta["observed_until"])
    yesterday = utc_date(observed) - timedelta(days=1)
    url = f"{server.base_url}/orgs/acme/copilot/metrics"
    days, pages = [], 0
    params: dict | None = {"since": "2025-01-01T00:00:00Z", "per_page": 30}  # older than the API keeps
    while url:
        reply = requests.get(url, params=params, headers=AUTH, timeout=10)
        reply.raise_for_status()
        days, pages = days + reply.json(), pages + 1
        url, params = reply.links.get("next", {}).get("url"), None
    assert pages == -(-len(days) // 30) > 1
    grants = org_grants("demo", 7)
    dates = [date.fromisoformat(day["date"]) for day in days]
    assert dates == sorted(set(dates)) and dates[0] >= yesterday - timedelta(days=99) and dates[-1] == yesterday
    for day in days:
        held = holders_on(grants, date.fromisoformat(day["date"]), observed)
        assert len(held) >= 5 and day["total_engaged_users"] <= day["total_active_users"] <= len(held)
    assert sum(d["total_active_users"] for d in days if date.fromisoformat(d["date"]).weekday() < 5) > 0
    window = {"since": "2026-06-01T00:00:00Z", "until": "2026-06-03T00:00:00Z"}
    reply = requests.get(f"{server.base_url}/orgs/acme/copilot/metrics", params=window, headers=AUTH, timeout=10)
    assert [d["date"] for d in reply.json()] == ["2026-06-01", "2026-06-02", "2026-06-03"]


def test_another_org_has_no_copilot(server):
    for path in ("copilot/billing/seats", "copilot/metrics"):
        reply = requests.get(f"{server.base_url}/orgs/other/{path}", headers=AUTH, timeout=10)
        assert reply.status_code == 404 and reply.json()["message"] == "Not Found"
