"""Compare the marts with the simulator's ground truth, team by team and week by week."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb

STAGES = ("coding", "pickup", "review", "rework", "merge", "deploy_wait")
WAITS = ("wait_to_start", "start_to_pr", "pr_to_merge", "merge_to_deploy", "request_to_production")
DORA_COLUMNS = (
    "deployments", "deploy_days", "busiest_service_deploy_days", "change_measurement_coverage",
    "lead_time_p50_hours", "lead_time_p85_hours",
    "deployment_attempts", "failed_attempts", "failed_deployment_attempt_rate", "failure_rate_deployments",
    "failed_deployments", "change_failure_rate", "failures_recovered",
    "recovery_time_p50_hours", "rework_deployments", "rework_rate", "merged_prs", "pr_deployment_coverage",
    "incidents", "incident_attribution_coverage", "work_items_resolved", "work_item_pr_coverage",
    "deployment_frequency_band", "lead_time_band", "change_failure_rate_band", "recovery_time_band",
)  # fmt: skip
# Every weekly report, on the same team x week grid, and the truth columns it must match.
REPORTS = {
    "rpt_dora_weekly": DORA_COLUMNS,
    "rpt_request_to_production_weekly": ("items_delivered",) + tuple(
        f"{w}_p{p}_hours" for w in WAITS for p in (50, 85)),
    "rpt_defect_escape_weekly": ("bugs", "bugs_found_in_production", "defect_escape_rate"),
    "rpt_bottleneck_weekly": ("changes_deployed",) + tuple(f"{s}_{x}" for s in STAGES for x in ("hours", "share"))
    + ("ci_hours", "ci_share", "bottleneck_stage"),
}  # fmt: skip
ACTIVITY_COLUMNS = ("commits", "prs_merged")
# Marts the fingerprint must cover (besides any other table in the schema).
EXPECTED_MARTS = ("fct_incidents", "fct_work_items", "fct_pull_request_cycle", *REPORTS)


def mart_rows(database: Path) -> dict[str, dict[tuple[str, str], dict[str, object]]]:
    """report (or `activity`) -> (team, week) -> column -> value."""
    out: dict[str, dict[tuple[str, str], dict[str, object]]] = {}
    with duckdb.connect(str(database), read_only=True) as conn:
        for report, columns in REPORTS.items():
            rows = conn.execute(f"""
                select team_key, strftime(week_start, '%Y-%m-%d'), {", ".join(columns)}
                from marts.{report}""").fetchall()
            out[report] = {(team, week): dict(zip(columns, values, strict=True)) for team, week, *values in rows}
        activity = conn.execute("""
            select team_key, strftime(date_trunc('week', activity_date), '%Y-%m-%d'),
                   sum(commits), sum(prs_merged)
            from marts.fct_activity_daily where team_key is not null group by all""").fetchall()
    out["activity"] = {(team, wk): dict(zip(ACTIVITY_COLUMNS, values, strict=True)) for team, wk, *values in activity}
    return out


def differences(database: Path, ground_truth_path: Path) -> list[str]:
    """Every (report, team, week, metric) where a mart and the truth disagree; empty when they match."""
    truth = json.loads(ground_truth_path.read_text())["rows"]
    marts = mart_rows(database)
    problems = []
    for row in truth:
        key = (row["team_key"], row["week_start"])
        for report, columns in (*REPORTS.items(), ("activity", ACTIVITY_COLUMNS)):
            found = marts[report].get(key)
            if found is None and report != "activity":
                problems.append(f"{report} {key}: no row (the grid must be dense)")
                continue
            for column in columns:
                expected, actual = row[column], (found or {}).get(column)
                if report == "activity" and actual is None:
                    actual = 0  # no activity rows that week
                if not _same(expected, actual):
                    problems.append(f"{report} {key} {column}: truth {expected!r}, mart {actual!r}")
    truth_keys = {(r["team_key"], r["week_start"]) for r in truth}
    for report, rows in marts.items():
        for key, values in rows.items():
            if key not in truth_keys and any(v not in (None, 0) for v in values.values()):
                problems.append(f"{report} {key}: in the marts ({values}) but not in the truth")
    return problems


def _same(expected: object, actual: object) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, str) or isinstance(actual, str):
        return expected == actual
    if isinstance(expected, float) or isinstance(actual, float):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-6)
    return expected == actual


def marts_fingerprint(database: Path) -> dict[str, str]:
    """A content hash of every mart table (the outcome marts must be among them), to show a re-run changes no row."""
    with duckdb.connect(str(database), read_only=True) as conn:
        sql = "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
        tables = [r[0] for r in conn.execute(sql).fetchall()]
        missing = [t for t in EXPECTED_MARTS if t not in tables]
        assert not missing, f"marts missing: {missing}"
        return {t: conn.execute(f"select count(*) || ':' || coalesce(bit_xor(hash(t::varchar)), 0) "
                                f"from marts.{t} as t").fetchone()[0] for t in tables}  # fmt: skip
