"""Compare rpt_investment_monthly with the simulator's ground_truth_investment.json, row by row."""

from __future__ import annotations

import json
import math
from pathlib import Path

import duckdb

KEY = ("team_key", "month_start")


def mart_rows(database: Path) -> dict[tuple[str, str], dict]:
    with duckdb.connect(str(database), read_only=True) as conn:
        cursor = conn.execute("select * exclude (team_month_id) from marts.rpt_investment_monthly")
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    return {(r["team_key"], r["month_start"].isoformat()): r for r in rows}


def differences(database: Path, truth_path: Path) -> list[str]:
    """Every (team, month, column) where the mart and the truth disagree; empty when they match."""
    truth = json.loads(truth_path.read_text())["rows"]
    marts = mart_rows(database)
    problems = [f"{key}: in the mart, not in the truth" for key in marts.keys() - {(r["team_key"], r["month_start"])
                                                                                     for r in truth}]
    for row in truth:
        key = (row["team_key"], row["month_start"])
        found = marts.get(key)
        if found is None:
            problems.append(f"{key}: missing from the mart")
            continue
        for column, expected in row.items():
            if column in KEY:
                continue
            if column not in found:
                problems.append(f"{key} {column}: no such mart column")
            elif not _same(found[column], expected):
                problems.append(f"{key} {column}: mart {found[column]!r} != truth {expected!r}")
    return problems


def _same(actual: object, expected: object) -> bool:
    if isinstance(expected, float) and isinstance(actual, int | float) and not isinstance(actual, bool):
        return math.isclose(float(actual), expected, rel_tol=1e-9, abs_tol=1e-6)
    return actual == expected
