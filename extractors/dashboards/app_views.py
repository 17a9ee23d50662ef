"""The app's sections, top to bottom: freshness, verdicts, headline numbers, then one view per question."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from extractors.dashboards import app_charts
from extractors.dashboards.app_drill import MEASURES, drill_params, drill_sql, pull_requests_sql
from extractors.dashboards.app_filters import Filters
from extractors.dashboards.app_source import Source
from extractors.dashboards.latest_weeks import latest_complete_weeks
from extractors.dashboards.queries import QUERIES

DATES = {
    name: st.column_config.DateColumn(format="YYYY-MM-DD")
    for name in ("week_start", "month_start", "period_start", "period_end")
}


def _rule(query: str) -> str:
    """The METRICS.md section a ready-made query's numbers follow."""
    return f'section "{QUERIES[query].metrics_section}"'


def _selected(frame: pd.DataFrame, filters: Filters, date_column: str = "week_start") -> pd.DataFrame:
    """A ready-made query's rows for the selected teams and weeks (months: those the weeks touch)."""
    dates = pd.to_datetime(frame[date_column]).dt.date
    first = filters.first_week.replace(day=1) if date_column == "month_start" else filters.first_week
    keep = frame["team_key"].isin(filters.teams) & (dates >= first) & (dates <= filters.last_week)
    return frame[keep].reset_index(drop=True)


def _chart(chart: alt.Chart, rows: pd.DataFrame, what: str) -> None:
    if rows.empty:
        st.info(f"No {what} in the selected teams and period.")
    else:
        st.altair_chart(chart, width="stretch")


def freshness(source: Source) -> None:
    """When the data was extracted and loaded, and what data quality left out (queries: data_status)."""
    status = source.named("data_status").iloc[0]
    extracted_at, streams = source.last_extracted()
    extracted = f"{extracted_at:%Y-%m-%d %H:%M} UTC" if extracted_at is not None else "never"
    loaded = f"{status['last_loaded_at']:%Y-%m-%d %H:%M} UTC" if pd.notna(status["last_loaded_at"]) else "never"
    st.caption(
        f"Data last extracted {extracted}, loaded {loaded} ({streams} raw streams, {status['landing_files_loaded']}"
        f" landing files) · data quality: {status['invalid_values']} values staging could not use,"
        f" {status['excluded_records']} records left out of the marts, {status['quarantined_records']} records"
        f" quarantined, {status['rejected_files']} files rejected · snapshot {source.path}"
    )


def verdicts(source: Source, filters: Filters) -> None:
    """Busier or faster since adopting AI tools, per team (queries: team_verdicts; METRICS.md "AI impact")."""
    rows = source.named("team_verdicts")
    rows = rows[rows["team_key"].isin(filters.teams)]
    st.subheader("Busier or faster since adopting AI tools?")
    for column, row in zip(st.columns(max(len(rows), 1)), rows.itertuples(), strict=False):
        column.metric(label=f"Verdict · {row.team_name}", value=row.ai_verdict)
        notes = []
        if pd.notna(row.adoption_week):
            notes.append(f"adopted the week of {row.adoption_week:%Y-%m-%d} ({row.adoption_method})")
        if isinstance(row.divergence_status, str):
            notes.append(f"week of {row.divergence_week:%Y-%m-%d}: {row.divergence_status}")
        column.caption("; ".join(notes))


def headline(source: Source, filters: Filters) -> None:
    """Totals over the selected teams and weeks: sums of the weekly reports, or with a repository, counts of
    its fact rows by the same rules (a report is per team, not per repository)."""
    if filters.repository:
        counts = {name: _count(source, name, filters) for name in MEASURES}
    else:
        dora_rows = _selected(source.named("dora_weekly"), filters)
        delivered = _selected(source.named("request_to_production_weekly"), filters)
        counts = {name: int(dora_rows[name].sum()) for name in MEASURES if name in dora_rows}
        counts["items_delivered"] = int(delivered["items_delivered"].sum())
    measured, failures = counts["failure_rate_deployments"], counts["failed_deployments"]
    period = f"weeks of {filters.first_week:%Y-%m-%d} to {filters.last_week:%Y-%m-%d}"
    scope = f", {filters.repository} only" if filters.repository else ""
    st.subheader(f"{', '.join(filters.teams)}: {period}{scope}")
    shown = [
        ("Production deployments", f"{counts['deployments']:,}"),
        ("Merged pull requests", f"{counts['merged_prs']:,}"),
        ("Change failure rate", f"{failures / measured:.1%}" if measured else "n/a"),
        ("Incidents", f"{counts['incidents']:,}"),
        ("Work items delivered", f"{counts['items_delivered']:,}"),
    ]
    for column, (label, value) in zip(st.columns(len(shown)), shown, strict=True):
        column.metric(label, value)
    st.caption(f"Change failure rate: {failures} failed of {measured} deployments. The rows behind each"
               " number, week by week: \"Rows behind a number\" below.")  # fmt: skip


def _count(source: Source, name: str, filters: Filters) -> int:
    measure = MEASURES[name]
    sql = drill_sql(measure, len(filters.teams), 2, bool(filters.repository))
    params = drill_params(measure, filters.teams, filters.week_params(), filters.repository)
    return int(source.query(f"select count(*) as n from ({sql})", params)["n"].iloc[0])


def dora(source: Source, filters: Filters) -> None:
    st.header("DORA")
    rows = _selected(source.named("dora_weekly"), filters)
    _dora_charts(rows)
    st.caption(f"Bands and rules: METRICS.md, {_rule('dora_weekly')}. Select a row to see its deployments below.")
    table = rows[["team_key", "week_start", "deployments", "lead_time_p50_hours", "change_failure_rate",
                  "recovery_time_p50_hours", "merged_prs", "incidents", "deployment_frequency_band"]]  # fmt: skip
    event = st.dataframe(table, hide_index=True, column_config=DATES, on_select="rerun", selection_mode="single-row",
                         key="dora_rows")  # fmt: skip
    _select_for_drill(event, table, "deployments")


def service_dora(source: Source, filters: Filters) -> None:
    """The selected teams' DORA per service they own, one line per service (queries: dora_service_weekly)."""
    st.header("DORA per service")
    rows = _selected(source.named("dora_service_weekly"), filters)
    if filters.repository:
        rows = rows[rows["repository"] == filters.repository].reset_index(drop=True)
    _dora_charts(rows, series="service")
    latest = latest_complete_weeks(rows)
    st.caption(
        f"{rows['service'].nunique()} services; each service's bands are its own. Below, the latest complete weeks"
        f" (before the one in progress, inside the delivery span). Rule: METRICS.md, {_rule('dora_service_weekly')}."
    )
    st.dataframe(
        latest[["team_key", "service", "week_start", "deployments", "deployment_frequency_band",
                "lead_time_p50_hours", "lead_time_band", "change_failure_rate", "change_failure_rate_band",
                "recovery_time_p50_hours", "recovery_time_band"]],
        hide_index=True,
        column_config=DATES,
        key="service_dora_latest",
    )  # fmt: skip


# the four DORA charts: (column, title, band column)
DORA_CHARTS = (
    ("deployments", "Production deployments per week", "deployment_frequency_band"),
    ("lead_time_p50_hours", "Lead time p50 (hours)", "lead_time_band"),
    ("change_failure_rate", "Change failure rate", "change_failure_rate_band"),
    ("recovery_time_p50_hours", "Time to recover p50 (hours)", "recovery_time_band"),
)


def _dora_charts(rows: pd.DataFrame, series: str = "team_key") -> None:
    """The four DORA charts, two to a row, one line per team (or per service)."""
    per_service = series == "service"
    for index, (column, title, band) in enumerate(DORA_CHARTS):
        if index % 2 == 0:
            left, right = st.columns(2)
        with left if index % 2 == 0 else right:
            present = rows.dropna(subset=[column])
            shown = f"{title} per service" if per_service else title
            chart = app_charts.weekly_lines(present, column, shown, band, delivery_weeks=rows, series=series)
            _chart(chart, present, f"{title.lower()} of a service" if per_service else title.lower())


def _select_for_drill(event, table: pd.DataFrame, measure: str) -> None:
    """A row picked in a weekly table becomes the drill-down's team and week (once per new pick)."""
    picked = list(event.selection.rows) if event else []
    if not picked or st.session_state.get("drill_applied") == (measure, picked[0]):
        return
    row = table.iloc[picked[0]]
    st.session_state["drill_applied"] = (measure, picked[0])
    st.session_state["drill_measure"] = measure
    st.session_state["drill_team"] = row["team_key"]
    st.session_state["drill_week"] = pd.Timestamp(row["week_start"]).date()


def flow(source: Source, filters: Filters) -> None:
    st.header("Flow: request to production, and where changes wait")
    left, right = st.columns(2)
    weeks = _selected(source.named("request_to_production_weekly"), filters)
    requests = weeks.dropna(subset=["request_to_production_p50_hours"])
    with left:
        chart = app_charts.weekly_lines(requests, "request_to_production_p50_hours", "Request to production p50 (h)",
                                        delivery_weeks=weeks)
        _chart(chart, requests, "delivered work items")
    stages = _selected(source.named("bottleneck_stages_weekly"), filters)
    totals = stages.groupby(["team_key", "stage", "stage_order"], as_index=False)["hours"].sum()
    totals = totals[totals["hours"] > 0].sort_values(["team_key", "stage_order"])
    with right:
        _chart(app_charts.stage_shares(totals), totals, "deployed changes")
    escape = _selected(source.named("defect_escape_weekly"), filters).dropna(subset=["defect_escape_rate"])
    _chart(app_charts.weekly_lines(escape, "defect_escape_rate", "Defect escape rate"), escape, "bugs")
    st.caption(f"Rules: METRICS.md, {_rule('request_to_production_weekly')}, {_rule('bottleneck_stages_weekly')},"
               f" {_rule('defect_escape_weekly')}.")  # fmt: skip


def ai_comparison(source: Source, filters: Filters) -> None:
    st.header("AI-assisted vs other pull requests")
    periods = {"after": "after adoption (ramp excluded)", "before": "before adoption", "all": "all merged PRs"}
    period = st.selectbox("Period", list(periods), format_func=periods.get, key="ai_period")
    rows = source.named("ai_pr_comparison")
    rows = rows[rows["team_key"].isin(filters.teams) & (rows["period"] == period)].copy()
    rows["label"] = rows["measure"] + " (" + rows["statistic"] + ")"
    compared = rows.dropna(subset=["difference", "difference_ci_low", "difference_ci_high"])
    _chart(app_charts.ai_comparison(compared), compared, "measure with enough AI-assisted and other PRs")
    st.caption(f"Rule: METRICS.md, {_rule('ai_pr_comparison')}.")
    st.dataframe(
        rows[["team_key", "label", "ai_value", "other_value", "ai_units", "other_units", "difference",
              "difference_ci_low", "difference_ci_high", "comparison_status"]],
        hide_index=True,
    )  # fmt: skip
    left, right = st.columns(2)
    team = left.selectbox("Team's pull requests", filters.teams, key="ai_team")
    group = right.selectbox("Group", ["ai", "other"], key="ai_group",
                            format_func={"ai": "AI-assisted", "other": "other"}.get)  # fmt: skip
    bounds = rows[rows["team_key"] == team][["period_start", "period_end"]].head(1)
    start, end = bounds.iloc[0].tolist() if not bounds.empty else [None, None]
    start, end = (None, None) if pd.isna(start) or pd.isna(end) else (start, end)
    sql, params = pull_requests_sql(group, start, end, filters.repository)
    prs = source.query(sql, [team, *params])
    st.caption(f"{len(prs)} merged pull requests of {team} in group '{group}' ({periods[period]})"
               f"{' in ' + filters.repository if filters.repository else ''}: marts.fct_pull_requests")  # fmt: skip
    st.dataframe(prs, hide_index=True)


def divergence(source: Source, filters: Filters) -> None:
    st.header("Divergence: activity against outcomes")
    rows = source.named("divergence_weekly")
    rows = _selected(rows[rows["level"] == "team"], filters)
    present = rows.dropna(subset=["activity_index", "outcome_index"])
    _chart(app_charts.divergence(present, delivery_weeks=rows), present, "weeks with a baseline")
    flagged = rows[rows["is_busier_not_faster"].fillna(False).astype(bool)]
    st.caption(f"{len(flagged)} team-weeks flagged busier, not faster. Rule: METRICS.md, {_rule('divergence_weekly')}.")


def investment(source: Source, filters: Filters) -> None:
    st.header("Investment")
    rows = source.named("investment_monthly")
    rows = _selected(rows[~rows["is_org_rollup"].astype(bool)], filters, "month_start")
    _chart(app_charts.investment(rows), rows, "spend")
    st.caption(f"Rule: METRICS.md, {_rule('investment_monthly')}.")
    st.dataframe(
        rows[["team_key", "month_start", "ai_tool_spend", "infrastructure_spend", "infrastructure_to_ai_spend_ratio",
              "infrastructure_to_ai_spend_target", "deployments", "spend_per_deployment", "missing_reason"]],
        hide_index=True,
        column_config=DATES,
    )  # fmt: skip


def drill_down(source: Source, filters: Filters) -> None:
    """Any weekly number, then the fact rows it counts (URL: ?drill=deployments&week=2026-06-01)."""
    st.header("Rows behind a number")
    weeks = [week for week in source.weeks() if filters.first_week <= week <= filters.last_week]
    _defaults_from_url(weeks, filters)
    left, middle, right = st.columns(3)
    name = left.selectbox("Number", list(MEASURES), format_func=lambda key: MEASURES[key].label,
                          key="drill_measure")  # fmt: skip
    team = middle.selectbox("Team", filters.teams, key="drill_team")
    week = right.selectbox("Week of", list(reversed(weeks)), key="drill_week")
    measure = MEASURES[name]
    report = "marts.rpt_request_to_production_weekly" if name == "items_delivered" else "marts.rpt_dora_weekly"
    reported = source.query(
        f"select {measure.report_column} as n from {report} where team_key = ? and week_start = ?", [team, week]
    )
    sql = drill_sql(measure, repository=bool(filters.repository))
    rows = source.query(sql, drill_params(measure, [team], [week], filters.repository))
    number = int(reported["n"].iloc[0]) if not reported.empty else 0
    st.metric(f"{measure.label} · {team} · week of {week:%Y-%m-%d} ({report})", f"{number:,}")
    scope = f" in {filters.repository}" if filters.repository and measure.repository_column else ""
    st.caption(f"{len(rows)} rows{scope} from {measure.fact}, counted by {measure.week_of}")
    st.dataframe(rows, hide_index=True)


def _defaults_from_url(weeks: list, filters: Filters) -> None:
    """First visit: the drill-down's number and week from ?drill= and ?week= when they name valid ones."""
    if "drill_measure" not in st.session_state and st.query_params.get("drill") in MEASURES:
        st.session_state["drill_measure"] = st.query_params["drill"]
    wanted = st.query_params.get("week")
    if "drill_week" not in st.session_state and wanted:
        matches = [week for week in weeks if f"{week:%Y-%m-%d}" == wanted]
        if matches:
            st.session_state["drill_week"] = matches[0]
    for key, options in (("drill_team", filters.teams), ("drill_week", weeks)):
        if key in st.session_state and st.session_state[key] not in options:
            del st.session_state[key]
