"""The per-team weekly tables the demo ends with, read from the published snapshot.

Two tables side by side in meaning: DORA outcomes with their bands, then flow (where requests wait).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from extractors.core.landing import read_manifests
from extractors.core.warehouse import connect

_BAND_LETTER = {"elite": "E", "high": "H", "medium": "M", "low": "L"}

DORA_COLUMNS = (
    ("team", "d.team_key"),
    ("week", "d.week_start"),
    ("deploys", "d.deployments"),
    ("band", "d.deployment_frequency_band"),
    ("lead p50 h", "d.lead_time_p50_hours"),
    ("band", "d.lead_time_band"),
    ("CFR", "d.change_failure_rate"),
    ("band", "d.change_failure_rate_band"),
    ("recovery p50 h", "d.recovery_time_p50_hours"),
    ("band", "d.recovery_time_band"),
    ("rework", "d.rework_rate"),
)
FLOW_COLUMNS = (
    ("team", "d.team_key"),
    ("week", "d.week_start"),
    ("commits", "d.commits"),
    ("PRs merged", "d.prs_merged"),
    ("requests shipped", "r.items_delivered"),
    ("request->prod p50 h", "r.request_to_production_p50_hours"),
    ("bugs", "e.bugs"),
    ("defect escape", "e.defect_escape_rate"),
    ("bottleneck", "b.bottleneck_stage"),
    ("its share", "b.bottleneck_share"),
)
_FROM = """
    from marts.rpt_dora_weekly as d
    left join marts.rpt_request_to_production_weekly as r using (team_week_id)
    left join marts.rpt_defect_escape_weekly as e using (team_week_id)
    left join (
        select *, greatest(coding_share, pickup_share, review_share, rework_share, merge_share,
                           deploy_wait_share, ci_share) as bottleneck_share
        from marts.rpt_bottleneck_weekly
    ) as b using (team_week_id)
    where d.week_start > (select max(week_start) from marts.rpt_dora_weekly) - interval {weeks} week
    order by d.team_key, d.week_start
"""


def weekly_summary(database: Path, weeks: int = 4) -> str:
    with connect(database, read_only=True) as conn:
        tables = []
        for title, columns in (
            ("DORA (bands: E elite, H high, M medium, L low)", DORA_COLUMNS),
            ("Flow", FLOW_COLUMNS),
        ):
            select = ", ".join(expression for _, expression in columns)
            rows = conn.execute(f"select {select} {_FROM.format(weeks=int(weeks))}").fetchall()
            tables.append(f"{title}\n{_render([h for h, _ in columns], rows)}")
    return "\n\n".join(tables)


def health_summary(published: Path, landing_dir: Path) -> str:
    """What a reader of the numbers must know: values staging could not use, records and files set aside,
    when each source was last extracted (its newest landing file loaded; data and event times may be older),
    and whether the snapshot is older than the latest extract (a failed build publishes nothing)."""
    with connect(published, read_only=True) as conn:
        invalid, excluded = conn.execute(
            "select count(*), count(*) filter (where is_record_excluded) from data_quality.dq_invalid_values"
        ).fetchone()
        quarantined = conn.execute("select count(*) from raw._quarantine").fetchone()[0]
        rejected = conn.execute("select count(*) from raw._rejected_files").fetchone()[0]
        last_loaded = conn.execute(
            "select source_instance, max(loaded_at) from raw._loaded_files group by all order by 1"
        ).fetchall()
        known = {r[0] for r in conn.execute(
            "select landing_file from raw._loaded_files union all select landing_file from raw._rejected_files"
        ).fetchall()}  # fmt: skip
    newer = [
        entry.manifest["written_at"]
        for entry in read_manifests(landing_dir)
        if entry.manifest
        and str((entry.path.parent / entry.manifest["data_file"]).relative_to(landing_dir)) not in known
    ]
    lines = [
        f"Data quality: {invalid} values staging could not use ({excluded} records left out of the marts): "
        "data_quality.dq_invalid_values",
        f"Set aside: {quarantined} records in raw._quarantine, {rejected} landing files in raw._rejected_files",
        "Last extracted (loaded into this snapshot), per source: "
        + (", ".join(f"{name} {_utc_minute(at)}" for name, at in last_loaded) or "none yet"),
    ]
    if newer:
        lines.append(
            f"STALE: this snapshot is older than the latest extract: {len(newer)} landing files (newest written "
            f"{max(newer)}) are not in it yet; the next load, transform and publish bring them in"
        )
    return "\n".join(lines)


def _utc_minute(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _render(headers: list[str], rows: list[tuple]) -> str:
    table = [[_cell(header, value) for header, value in zip(headers, row, strict=True)] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in table)) if table else len(h) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += [
        "  ".join(c.rjust(w) if i > 1 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
        for r in table
    ]
    return "\n".join(lines)


def _cell(header: str, value: object) -> str:
    if value is None:
        return "-"
    if header == "band":
        return _BAND_LETTER.get(str(value), str(value))
    if isinstance(value, float):
        if header in ("CFR", "rework", "defect escape", "its share"):
            return f"{value:.0%}"
        return f"{value:.1f}"
    return str(value)
