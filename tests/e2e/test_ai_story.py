"""The simulator's story, read back from the marts: each team's AI verdict, the designed effects inside the
reported intervals, difference-in-differences removing the org-wide review trend, the divergence flag,
a different bottleneck per team, and one alert per injected regression (simulator/delivery.py,
simulator/regressions.py)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import duckdb
import pytest

from simulator import delivery as story
from simulator.regressions import ALERTED_METRIC, DEMO_REGRESSIONS, regression_week

pytestmark = pytest.mark.e2e

VERDICTS = {"checkout": "faster", "ledger": "busier, not faster"}  # growth never adopts


@pytest.fixture(scope="module")
def marts(demo_published):
    with duckdb.connect(str(demo_published), read_only=True) as conn:
        yield conn


def impact(conn, team: str, metric: str) -> dict:
    cursor = conn.execute("select * from marts.rpt_ai_impact where team_key = ? and metric = ?", [team, metric])
    return dict(zip([c[0] for c in cursor.description], cursor.fetchone(), strict=True))


def test_each_team_gets_the_verdict_of_its_story(marts, sim_dir):
    org = json.loads((sim_dir / "org.json").read_text())
    adopting = {t["key"] for t in org["teams"] if t["ai_adoption_week"] is not None}
    assert adopting == set(VERDICTS)
    verdicts = dict(marts.execute("select distinct team_key, verdict from marts.rpt_ai_impact").fetchall())
    assert verdicts == VERDICTS


def test_the_designed_effects_lie_inside_the_reported_intervals(marts):
    designed = {  # metric: (team, designed effect, estimated against the control)
        "prs_merged_per_engineer_week": [(team, story.designed_pr_rate_change()) for team in VERDICTS],
        "review_pickup_p50_hours": [("ledger", story.SYSTEMS["slow"].review_load_factor - 1), ("checkout", 0.0)],
    }
    for metric, cases in designed.items():
        for team, effect in cases:
            row = impact(marts, team, metric)
            assert row["estimate_basis"] == "difference-in-differences", row
            assert row["difference_ci_low"] <= effect <= row["difference_ci_high"], (team, metric, effect, row)


def test_difference_in_differences_removes_the_org_wide_review_trend(marts):
    # checkout's reviews are not slowed by AI; the org's reviews get faster over the window
    row = impact(marts, "checkout", "review_pickup_p50_hours")
    assert row["change_ci_high"] < 0, row  # the naive before/after reads the trend as an AI effect
    assert row["difference_ci_low"] <= 0 <= row["difference_ci_high"], row  # against the control, none
    assert row["direction"] == "no change"


def test_the_divergence_flag_fires_for_ledger_after_adoption_and_never_for_checkout(marts):
    flagged = marts.execute("""select d.team_key, d.week_start >= a.adoption_week, count(*)
                               from marts.rpt_divergence_weekly d join marts.team_ai_adoption a using (team_key)
                               where d.is_busier_not_faster group by all""").fetchall()  # fmt: skip
    weeks = {(team, after): n for team, after, n in flagged}
    assert not any(team == "checkout" for team, _ in weeks), weeks
    assert weeks.get(("ledger", True), 0) >= 2, weeks


def test_each_team_is_held_up_by_its_own_stage(marts):
    rows = marts.execute("""select b.team_key, b.week_start >= a.first_week_after_ramp, b.bottleneck_stage
                            from marts.rpt_bottleneck_weekly b join marts.team_ai_adoption a using (team_key)
                            where b.bottleneck_stage is not null
                              and (a.adoption_week is null or b.week_start < a.adoption_week
                                   or b.week_start >= a.first_week_after_ramp)""").fetchall()  # fmt: skip
    stages: dict[tuple, Counter] = {}
    for team, after, stage in rows:
        stages.setdefault((team, bool(after)), Counter())[stage] += 1
    modal = {key: counter.most_common(1)[0][0] for key, counter in stages.items()}
    # checkout: coding until AI shortens it, then CI and the merge queue; ledger: reviews; growth: the train
    assert modal == {
        ("checkout", False): "coding",
        ("checkout", True): "merge",
        ("ledger", False): "pickup",
        ("ledger", True): "pickup",
        ("growth", False): "deploy_wait",
    }


def test_each_injected_regression_raises_exactly_one_alert(marts, sim_dir):
    org = json.loads((sim_dir / "org.json").read_text())
    start = date.fromisoformat(org["window"]["start"][:10])
    week = start + timedelta(weeks=regression_week(org["window"]["weeks"]))
    expected = sorted((team, ALERTED_METRIC[kind], week) for team, kind in DEMO_REGRESSIONS.items())
    alerts = marts.execute("select team_key, metric, week_start from marts.alerts order by all").fetchall()
    assert alerts == expected
