"""Compare the marts with the simulator's ground truth, team by team and week by week."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb

DORA_COLUMNS = ("deployments", "deploy_days", "lead_time_p50_hours", "lead_time_p85_hours")
ACTIVITY_COLUMNS = ("commits", "prs_merged")


def mart_rows(database: Path) -> dict[tuple[str, str], dict[str, object]]:
    with duckdb.connect(str(database), read_only=True) as conn:
        dora = conn.execute(f"""
            select team_key, strftime(week_start, '%Y-%m-%d'), {", ".join(DORA_COLUMNS)}
            from marts.rpt_dora_weekly""").fetchall()
        activity = conn.execute("""
            select team_key, strftime(date_trunc('week', activity_date), '%Y-%m-%d'),
                   sum(commits), sum(prs_merged)
            from marts.fct_activity_daily where team_key is not null group by all""").fetchall()
    rows: dict[tuple[str, str], dict[str, object]] = {}
    for team, week, *values in dora:
        rows.setdefault((team, week), {}).update(zip(DORA_COLUMNS, values, strict=True))
    for team, week, *values in activity:
        rows.setdefault((team, week), {}).update(zip(ACTIVITY_COLUMNS, values, strict=True))
    return rows


def differences(database: Path, ground_truth_path: Path) -> list[str]:
    """Every (team, week, metric) where the mart and the truth disagree; empty when they match."""
    truth = json.loads(ground_truth_path.read_text())["rows"]
    marts = mart_rows(database)
    problems = []
    for row in truth:
        key = (row["team_key"], row["week_start"])
        found = marts.get(key, {})
        for column in DORA_COLUMNS + ACTIVITY_COLUMNS:
            expected, actual = row[column], found.get(column)
            if column in ACTIVITY_COLUMNS and actual is None:
                actual = 0  # no activity rows that week
            if not _same(expected, actual):
                problems.append(f"{key} {column}: truth {expected!r}, mart {actual!r}")
    truth_keys = {(r["team_key"], r["week_start"]) for r in truth}
    for key, values in marts.items():
        if key not in truth_keys and any(values.get(c) not in (None, 0) for c in DORA_COLUMNS + ACTIVITY_COLUMNS):
            problems.append(f"{key}: in the marts ({values}) but not in the truth")
    return problems


def _same(expected: object, actual: object) -> bool:
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, float) or isinstance(actual, float):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-6)
    return expected == actual


def marts_fingerprint(database: Path) -> dict[str, str]:
    """A content hash of every mart table, to show a re-run changes no row."""
    with duckdb.connect(str(database), read_only=True) as conn:
        tables = [r[0] for r in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {t: conn.execute(f"select count(*) || ':' || coalesce(bit_xor(hash(t::varchar)), 0) "
                                f"from marts.{t} as t").fetchone()[0] for t in tables}
