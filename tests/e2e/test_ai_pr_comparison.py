"""rpt_ai_pr_comparison end to end: AI-assisted vs other merged PRs per team and period equal an independent
computation from the simulator's org.sqlite (METRICS.md "AI pull request comparison").

The expected values come from the generator's own records (simulator/truth_*.py and org.sqlite's pulls,
commits, reviews): which PRs had AI help and whose they are, each PR's cycle stages, its first production
deployment, whether that (or its copy in another region) was rolled back or caused an incident, and the
production bugs it is linked to.
Only the before/after spans are taken from the warehouse (team adoption is another mart's rule), after
checking they are the spans rpt_ai_impact compares. Two compared rows' intervals are re-drawn here from the
documented rule (DuckDB's hash of the text key; the replicates' quantiles in Python).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from pathlib import Path

import duckdb
import pytest
import yaml

from extractors.core.config import load_config
from simulator import truth_ai, truth_changes, truth_cycle, truth_incidents, truth_work
from simulator.quantile import quantile_cont
from simulator.truth_changes import week

pytestmark = pytest.mark.e2e

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project" / "dbt_project.yml"
MEASURES = {  # measure -> statistic, in the mart's order
    "lines_changed": "median",
    "commits": "median",
    "coding_hours": "median",
    "pickup_hours": "median",
    "review_hours": "median",
    "merge_hours": "median",
    "deploy_wait_hours": "median",
    "review_rounds": "mean",
    "rollback_rate": "rate",
    "revert_rate": "rate",
    "incident_rate": "rate",
    "production_bug_rate": "rate",
}
COLUMNS = (
    "team_key", "period", "period_start", "period_end", "measure", "statistic", "ai_value", "other_value",
    "ai_units", "other_units", "difference", "difference_ci_low", "difference_ci_high", "comparison_status",
)  # fmt: skip


def pull_request_values(conn: sqlite3.Connection, window_hours: int) -> list[dict]:
    """One dict per merged PR with a credited team: its team, group, merge week and every measure (None: no unit)."""
    ai = truth_ai.pull_requests(conn)
    facts = truth_changes.load(conn)
    cycle = truth_cycle.load(conn, facts)
    incidents = truth_incidents.load(conn, facts, window_hours)
    # both judged on the counted deployment: a failure of its environment copy (another region) is its failure
    incident_deployments = facts.counted_failures(
        inc.deployment.id for inc in incidents if inc.deployment and inc.is_production_failure
    )
    # rolled back: the next successful deployment of the service and environment deploys a strict ancestor
    rolled_back = facts.counted_failures(
        d.id for deps in facts.successful.values() for d, nxt in zip(deps, deps[1:], strict=False)
        if nxt.main_pos < d.main_pos
    )  # fmt: skip
    # reverted: a merged pull request reverts it (the simulator's reverts revert a whole pull request)
    reverted = {(ch.repo_id, ch.reverts) for ch in facts.changes.values() if ch.reverts is not None}
    bugs = [item for item in truth_work.load(conn, facts) if item.canonical_type == "bug"]
    production_bug_prs = {pr for item in bugs if item.found_in_production_reason for pr in item.pulls}
    lines: dict[tuple[int, int], list] = defaultdict(list)
    for repo, number, additions, deletions in conn.execute(
        """SELECT pc.repo_id, pc.number, c.additions, c.deletions FROM pull_commits pc
           JOIN commits c ON c.repo_id = pc.repo_id AND c.sha = pc.sha WHERE c.is_merge = 0"""
    ):
        lines[(repo, number)].append(None if additions is None or deletions is None else additions + deletions)
    reviews: dict[tuple[int, int], list[str]] = defaultdict(list)
    for repo, number, state in conn.execute(
        """SELECT v.repo_id, v.number, v.state FROM reviews v
           JOIN pulls p ON p.repo_id = v.repo_id AND p.number = v.number
           WHERE v.reviewer_id != p.author_id AND v.submitted_at <= p.merged_at"""
    ):
        reviews[(repo, number)].append(state)
    out = []
    for repo, full_name, number, merged_at, commit_count in conn.execute(
        """SELECT p.repo_id, r.full_name, p.number, p.merged_at, p.commit_count FROM pulls p
           JOIN repos r ON r.id = p.repo_id WHERE p.merged_at IS NOT NULL"""
    ):
        key = f"{full_name}#{number}"
        team = ai[key]["credited_team_key"]
        if team is None:
            continue
        change = facts.changes.get((repo, number))
        deployment = change.deployment if change else None
        counted = None if deployment is None else facts.copies.get(deployment.id, deployment.id)
        stages = cycle.get((repo, number), {})
        pr_lines = lines.get((repo, number), [])
        rounds = reviews.get((repo, number))
        out.append({
            "key": key, "team": team, "group": "other" if ai[key]["ai_assistance"] == "none" else "ai",
            "week": week(merged_at),
            "lines_changed": sum(pr_lines) if pr_lines and None not in pr_lines else None,
            "commits": commit_count,
            **{f"{stage}_hours": stages.get(stage) for stage in ("coding", "pickup", "review", "merge", "deploy_wait")},
            "review_rounds": 1 + rounds.count("CHANGES_REQUESTED") if rounds else None,
            "rollback_rate": None if counted is None else float(counted in rolled_back),
            # shipped at a known or unknown time (an untracked sha): whether it was reverted is known either way
            "revert_rate": None if change is None or change.shipment is None else float((repo, number) in reverted),
            "incident_rate": None if counted is None else float(counted in incident_deployments),
            "production_bug_rate": float((repo, number) in production_bug_prs),
        })  # fmt: skip
    return out


def statistic(name: str, values: list[float]) -> float | None:
    if not values:
        return None
    return quantile_cont(values, 0.5) if name == "median" else sum(values) / len(values)


def expected_rows(prs: list[dict], periods: dict[tuple[str, str], tuple[str | None, str | None]],
                  min_units: int) -> dict[tuple[str, str, str], dict]:  # fmt: skip
    out = {}
    for (team, period), (start, end) in periods.items():
        members = sorted(
            (pr for pr in prs if pr["team"] == team and (start is None or start <= pr["week"] < end)),
            key=lambda pr: pr["key"],
        )  # numbered by pull request key, as the mart draws them
        for measure, stat in MEASURES.items():
            sides = {g: [pr[measure] for pr in members if pr["group"] == g and pr[measure] is not None]
                     for g in ("ai", "other")}  # fmt: skip
            ai_value, other_value = statistic(stat, sides["ai"]), statistic(stat, sides["other"])
            if min(len(sides["ai"]), len(sides["other"])) < min_units:
                status = "not enough data"
            else:
                status = "other value is 0" if other_value == 0 else "compared"
            out[(team, period, measure)] = {
                "ai_value": ai_value, "other_value": other_value,
                "ai_units": len(sides["ai"]), "other_units": len(sides["other"]),
                "difference": ai_value / other_value - 1 if status == "compared" else None,
                "comparison_status": status, "units": sides,  # in key order, for the bootstrap
            }  # fmt: skip
    return out


def bootstrap_interval(units: dict[str, list[float]], stat: str, key: str, seed: int, replicates: int):
    """The documented draw: unit hash('seed:team:period:measure:group:b:j') mod n + 1, numbered by PR key."""
    draws = {}
    with duckdb.connect() as con:
        for group, ordered in units.items():
            n = len(ordered)
            hashes = con.execute(  # the text of draw j of replicate b: '<prefix><b>:<j>'
                """select hash(? || b.range || ':' || j.range) from range(1, ? + 1) as b, range(1, ? + 1) as j
                   order by b.range, j.range""",
                [f"{seed}:{key}:{group}:", replicates, n],
            ).fetchall()
            picks = [ordered[h % n] for (h,) in hashes]
            draws[group] = [statistic(stat, picks[b * n : (b + 1) * n]) for b in range(replicates)]
    differences = [a / o - 1 for a, o in zip(draws["ai"], draws["other"], strict=True) if o]
    return quantile_cont(differences, 0.025), quantile_cont(differences, 0.975)


def test_ai_pr_comparison_equals_an_independent_computation(demo_run, sim_dir):
    config = load_config(demo_run.config)
    dbt_vars = {**yaml.safe_load(DBT_PROJECT.read_text())["vars"], **config.metrics}

    with duckdb.connect(str(demo_run.published), read_only=True) as conn:
        rows = [dict(zip(COLUMNS, r, strict=True)) for r in conn.execute(
            f"select {', '.join(COLUMNS)} from marts.rpt_ai_pr_comparison order by team_key, period, measure_order"
        ).fetchall()]  # fmt: skip
        adoption = dict(conn.execute("select team_key, has_adopted from marts.team_ai_adoption").fetchall())
        impact_spans = {team: tuple(spans) for team, *spans in conn.execute(
            """select distinct subject_team_key, before_start, before_end, after_start, after_end
               from marts.ai_impact_observations where role = 'team'""").fetchall()}  # fmt: skip

    # the grid: every team's `all`, an adopting team's before/after too; every measure, in order
    periods = {(r["team_key"], r["period"]): (r["period_start"], r["period_end"]) for r in rows}
    spans = [(t, p) for t, adopted in adoption.items() if adopted for p in ("before", "after")]
    assert sorted(periods) == sorted([(t, "all") for t in adoption] + spans)
    assert len(rows) == len(periods) * len(MEASURES)
    assert [r["measure"] for r in rows[: len(MEASURES)]] == list(MEASURES)
    assert all(r["statistic"] == MEASURES[r["measure"]] for r in rows)
    # the spans are rpt_ai_impact's
    assert any(adoption.values())
    for team, adopted in adoption.items():
        if adopted:
            assert (*periods[(team, "before")], *periods[(team, "after")]) == impact_spans[team], team
        assert periods[(team, "all")] == (None, None)

    with sqlite3.connect(sim_dir / "org.sqlite") as sim:
        prs = pull_request_values(sim, int(dbt_vars["incident_attribution_window_hours"]))
    iso_periods = {k: (s and s.isoformat(), e and e.isoformat()) for k, (s, e) in periods.items()}
    expected = expected_rows(prs, iso_periods, int(dbt_vars["ai_impact_min_events"]))

    wrong = []
    for row in rows:
        want = expected[(row["team_key"], row["period"], row["measure"])]
        for column in ("ai_value", "other_value", "ai_units", "other_units", "difference", "comparison_status"):
            got, exp = row[column], want[column]
            same = got == exp if got is None or exp is None or isinstance(exp, str) else got == pytest.approx(exp)
            if not same:
                wrong.append((row["team_key"], row["period"], row["measure"], column, got, exp))
    assert wrong == [], f"{len(wrong)} values differ (team, period, measure, column, mart, expected): {wrong[:8]}"

    compared = [r for r in rows if r["comparison_status"] == "compared"]
    assert {MEASURES[r["measure"]] for r in compared} >= {"median", "rate"}  # the comparison is not vacuous
    assert all(r["difference_ci_low"] <= r["difference_ci_high"] for r in compared)
    assert all(r["difference_ci_low"] is None for r in rows if r["comparison_status"] != "compared")
    # re-draw the interval of the compared median and rate rows with the most units
    seed, replicates = int(dbt_vars["ai_impact_seed"]), int(dbt_vars["ai_impact_bootstrap_replicates"])
    for stat in ("median", "rate"):
        candidates = [r for r in compared if MEASURES[r["measure"]] == stat]
        row = max(candidates, key=lambda r: r["ai_units"] + r["other_units"])
        key = f"{row['team_key']}:{row['period']}:{row['measure']}"
        low, high = bootstrap_interval(expected[tuple(key.split(":"))]["units"], stat, key, seed, replicates)
        assert (row["difference_ci_low"], row["difference_ci_high"]) == (pytest.approx(low), pytest.approx(high)), key
