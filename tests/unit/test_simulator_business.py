"""The simulator's business files: they pass the business source's checks as written, tell the designed story,
and the investment truth adds them up by METRICS.md's rules."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from extractors.business.settings import BusinessSettings
from extractors.business.source import extract_business_scope
from extractors.core.settings import validate
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from simulator import generate, write_pipeline_config
from simulator.business import closed_months
from simulator.timeutil import epoch
from tests.landing_helpers import landed


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    return generate(profile="tiny", seed=7, out_dir=tmp_path_factory.mktemp("sim") / "tiny")


def test_closed_months_are_the_months_ended_by_the_cutoff():
    start = epoch(dt.date(2026, 1, 5))
    assert closed_months(start, epoch(dt.date(2026, 3, 2))) == ["2026-01", "2026-02"]
    assert closed_months(start, epoch(dt.date(2026, 3, 1))) == ["2026-01", "2026-02"]
    assert closed_months(start, epoch(dt.date(2026, 2, 28))) == ["2026-01"]


def test_the_files_pass_the_business_source_checks(sim, tmp_path):
    import yaml

    document = yaml.safe_load(write_pipeline_config(sim).read_text())
    [source] = [s for s in document["sources"] if s["kind"] == "business"]
    settings = validate(BusinessSettings, source)
    teams = tuple(t["key"] for t in document["teams"])
    ctx = RunContext(source="business", kind="business", run_id="r1", window_end=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
                     landing_dir=tmp_path / "landing", cursors=CursorStore(tmp_path / "state"), team_keys=teams)
    landed_rows = sum(extract_business_scope(ctx, settings, scope)["monthly_measures"] for scope in settings.scopes)
    lines = landed(tmp_path, "monthly_measures")
    assert [line for line in lines if "quarantine_reason" in line] == []
    assert landed_rows == len(lines) > 0


def test_ai_spend_starts_at_adoption_and_the_org_row_adds_teams_and_unallocated(sim):
    org = json.loads((sim / "org.json").read_text())
    truth = json.loads((sim / "ground_truth_investment.json").read_text())
    rows = {(r["team_key"], r["month_start"]): r for r in truth["rows"]}
    adopted = {t["key"]: t["ai_adoption_week"] for t in org["teams"]}
    for team, week in adopted.items():
        spend = [rows[(team, m)]["ai_tool_spend"] for m in ("2026-01-01", "2026-02-01")]
        if week is None or week >= 8:  # adopts after February (tiny: 8 weeks from 2026-01-05) or never
            assert spend == [0.0, 0.0]
        else:
            assert spend[1] > 0
    february = [r for r in truth["rows"] if r["month_start"] == "2026-02-01"]
    org_row = next(r for r in february if r["team_key"] == "*")
    team_spend = sum(r["ai_tool_spend"] for r in february if r["team_key"] != "*")
    assert org_row["ai_tool_spend"] == pytest.approx(team_spend + 300.0)  # the org-wide chat licence
    assert org_row["ai_tool_spend_rows"] == 4
    assert org_row["csat_responses"] == sum(r["csat_responses"] for r in february if r["team_key"] != "*")
