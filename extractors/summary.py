"""Print the per-team weekly table the demo ends with (read from the published snapshot)."""

from __future__ import annotations

from pathlib import Path

from extractors.core.warehouse import connect

_COLUMNS = (
    "team_key",
    "week_start",
    "deployments",
    "deploy_days",
    "lead_time_p50_hours",
    "lead_time_p85_hours",
    "commits",
    "prs_merged",
)


def weekly_summary(database: Path, weeks: int = 4) -> str:
    with connect(database, read_only=True) as conn:
        rows = conn.execute(f"""
            select {", ".join(_COLUMNS)} from marts.rpt_dora_weekly
            where week_start > (select max(week_start) from marts.rpt_dora_weekly) - interval {int(weeks)} week
            order by team_key, week_start
        """).fetchall()
    table = [[_cell(v) for v in row] for row in rows]
    headers = ["team", "week", "deploys", "deploy days", "lead p50 h", "lead p85 h", "commits", "PRs merged"]
    widths = [max(len(h), *(len(r[i]) for r in table)) if table else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in table
    ]
    return "\n".join(lines)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
