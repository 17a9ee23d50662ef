"""AI tool seats end to end: the simulator's Copilot seats API and the config's `ai_tools` become
intermediate.ai_tool_seats, equal to the simulator's truth, and the weekly seat coverage follows from it.

GitHub lists only the seats billed now: a seat cancelled before the extraction and past its pending
cancellation date is gone. The config carries those (the organisation's own record) plus a team's entry for
another tool, so the expected rows are the whole truth: listed seats from the API, the rest from the config.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
import yaml

from extractors.core.config import load_config
from tests.e2e.test_pipeline_cli import delivery

pytestmark = pytest.mark.e2e
CURSOR_FROM = "2026-03-02"  # the team without Copilot takes another tool from then on (config only)


def test_ai_tool_seats_equal_the_truth_and_coverage_follows(pipeline_config, sim_dir, window_end):
    truth = json.loads((sim_dir / "ground_truth_ai_tool_seats.json").read_text())
    org = json.loads((sim_dir / "org.json").read_text())
    gone = [seat for seat in truth.values() if not seat["listed_by_api"]]
    assert gone and any(s["valid_to"] for s in truth.values() if s["listed_by_api"])  # both kinds happen
    without_copilot = next(t for t in org["teams"] if t["ai_adoption_week"] is None)
    document = yaml.safe_load(pipeline_config.read_text())
    document["ai_tools"] = [
        {"member": s["person_id"], "tool": "copilot", "from": s["valid_from"], "until": s["valid_to"]} for s in gone
    ] + [{"team": without_copilot["key"], "tool": "cursor", "from": CURSOR_FROM}]
    pipeline_config.write_text(yaml.safe_dump(document))

    delivery("run", "--config", str(pipeline_config), "--until", window_end)

    expected = {
        (s["person_id"], s["team_key"], "copilot", s["valid_from"], s["valid_to"],
         "copilot_api" if s["listed_by_api"] else "config")
        for s in truth.values()
    } | {
        (m["key"], without_copilot["key"], "cursor", CURSOR_FROM, None, "config") for m in without_copilot["members"]
    }  # fmt: skip
    config = load_config(pipeline_config)
    with duckdb.connect(str(config.published_path), read_only=True) as conn:
        rows = conn.execute("""select person_id, team_key, tool, strftime(valid_from, '%Y-%m-%d'),
                                      strftime(valid_to, '%Y-%m-%d'), source
                               from intermediate.ai_tool_seats""").fetchall()  # fmt: skip
        coverage = conn.execute("""select team_key, strftime(week_start, '%Y-%m-%d'), members, members_with_seat
                                   from intermediate.team_ai_seat_coverage_weekly""").fetchall()  # fmt: skip
        metric_days = conn.execute("select count(*) from staging.stg_github__copilot_metrics").fetchone()[0]
    assert sorted(rows, key=str) == sorted(expected, key=str)
    assert coverage and {(t, w, m, h) for t, w, m, h in coverage} == _expected_coverage(expected, org, coverage)
    assert metric_days > 0


def _expected_coverage(seats: set[tuple], org: dict, grid: list[tuple]) -> set[tuple]:
    """Members of a team (no moves here: all of them, every week) and those holding any seat on any day."""
    out = set()
    for team_key, week, _, _ in grid:
        start = dt.date.fromisoformat(week)
        members = next(len(t["members"]) for t in org["teams"] if t["key"] == team_key)
        holders = {
            person
            for person, team, _, valid_from, valid_to, _ in seats
            if team == team_key
            and dt.date.fromisoformat(valid_from) < start + dt.timedelta(days=7)
            and (valid_to is None or start < dt.date.fromisoformat(valid_to))
        }
        out.add((team_key, week, members, len(holders)))
    return out
