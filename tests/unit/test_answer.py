"""The paragraph per team words the marts' numbers: verdict, changes with intervals and sample sizes, the
difference beyond not-yet-adopted teams, the adoption week and how it was found, the spend ratio."""

from __future__ import annotations

import datetime as dt

import duckdb

from extractors.answer import team_answers

IMPACT_COLUMNS = (
    "team_key varchar, metric varchar, verdict varchar, relative_change double, change_ci_low double, "
    "change_ci_high double, before_units integer, after_units integer, difference_in_differences double, "
    "difference_ci_low double, difference_ci_high double, estimate_basis varchar"
)


def warehouse(tmp_path, spend_reported: bool = True):
    path = tmp_path / "published.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema marts")
        conn.execute(
            "create table marts.team_ai_adoption (team_key varchar, adoption_week date, adoption_method varchar)"
        )
        conn.execute(
            "insert into marts.team_ai_adoption values ('growth', null, null), ('ledger', '2026-03-30', 'seats')"
        )
        conn.execute(f"create table marts.rpt_ai_impact ({IMPACT_COLUMNS})")
        conn.executemany(
            "insert into marts.rpt_ai_impact values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("ledger", "prs_merged_per_engineer_week", "busier, not faster", 0.41, 0.14, 0.73, 8, 8,
                 0.35, 0.1, 0.6, "difference-in-differences"),
                ("ledger", "lead_time_p50_hours", "busier, not faster", 0.03, -0.1, 0.23, 137, 220,
                 None, None, None, "before/after"),
                ("ledger", "deployments_per_week", "busier, not faster", None, None, None, 2, 8,
                 None, None, None, "before/after"),
                ("ledger", "rework_rate", "busier, not faster", 0.5, 0.1, 0.9, 8, 8, None, None, None, "before/after"),
            ],
        )  # fmt: skip
        conn.execute(
            "create table marts.rpt_investment_monthly (team_key varchar, month_start date, is_org_rollup "
            "boolean, infrastructure_to_ai_spend_ratio double, infrastructure_to_ai_spend_target double)"
        )
        if spend_reported:
            conn.execute(
                "insert into marts.rpt_investment_monthly values ('ledger', '2026-05-01', false, 2.5, 2), "
                "('ledger', '2026-06-01', false, 0.6, 2), ('ledger', '2026-07-01', false, null, 2), "
                "('*', '2026-06-01', true, 3.0, 2)"
            )
    return path


def test_one_paragraph_per_team_from_the_marts(tmp_path):
    growth, ledger = team_answers(warehouse(tmp_path)).splitlines()
    assert growth == 'growth: has not adopted AI tools (no week qualifies, METRICS.md "Team adoption").'
    assert ledger == (
        f"ledger: busier, not faster — PRs merged per engineer-week +41% (95 % CI +14% to +73%, n = 8/8), "
        f"+35% beyond teams not yet adopted (+10% to +60%); lead time p50 +3% (95 % CI -10% to +23%, "
        f"n = 137/220); deployments per week: not enough data (n = 2 before, 8 after) since adopting AI tools "
        f"in the week of {dt.date(2026, 3, 30)} (from AI tool seats); infrastructure spend is 0.6× AI spend in "
        f"2026-06 (target 2×)."
    )


def test_a_team_without_reported_spend_has_no_spend_sentence(tmp_path):
    ledger = team_answers(warehouse(tmp_path, spend_reported=False)).splitlines()[1]
    assert ledger.endswith("(from AI tool seats).") and "spend" not in ledger
