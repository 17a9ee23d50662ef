"""The per-service DORA view (METRICS.md "Services") of both dashboards: the report's section and the app's charts.

Rows are shaped like the `dora_service_weekly` query's (queries.py); the demo org's real mart is checked in
tests/e2e/test_report.py and tests/e2e/test_dashboard_browser.py.
"""

from __future__ import annotations

import re

import pandas as pd
import vl_convert

from extractors.dashboards import app_charts, charts, sections
from extractors.dashboards.latest_weeks import LATEST_WEEKS, latest_complete_weeks
from extractors.dashboards.queries import QUERIES

WEEKS = pd.to_datetime([f"2026-0{month}-{day:02d}" for month, day in ((3, 2), (3, 9), (3, 16), (3, 23), (3, 30),
                                                                       (4, 6), (4, 13), (4, 20))])  # fmt: skip
# growth's monorepo deploys three services; ledger's repository deploys as a whole
SERVICES = {"web": "growth", "api": "growth", "worker": "growth", "acme/ledger": "ledger"}
TEAM_NAMES = {"growth": "Growth", "ledger": "Ledger"}
OUTSIDE = WEEKS[-2]  # a tracker-only week near the end: no delivery data, so no current figure to read


def _service_weeks() -> pd.DataFrame:
    rows = []
    for number, (service, team) in enumerate(SERVICES.items()):
        for week_number, week in enumerate(WEEKS):
            inside = week != OUTSIDE
            lead = 10.0 * (number + 1) + week_number if inside else None
            rows.append({
                "team_key": team, "team_name": TEAM_NAMES[team], "service": service, "repository": "acme/x",
                "week_start": week, "is_in_delivery_span": inside, "deployments": number + week_number if inside else 0,
                "deploy_days": 1, "deployment_frequency_band": "high" if inside else None, "changes_deployed": 2,
                "lead_time_p50_hours": lead, "lead_time_p85_hours": lead, "lead_time_band": "elite" if lead else None,
                "failure_rate_deployments": 2, "failed_deployments": 1 if service == "api" else 0,
                "change_failure_rate": (0.5 if service == "api" else 0.0) if inside else None,
                "change_failure_rate_band": ("low" if service == "api" else "elite") if inside else None,
                "failures_recovered": 1 if service == "api" else 0,
                "recovery_time_p50_hours": 3.5 if service == "api" and inside else None,
                "recovery_time_band": "elite" if service == "api" and inside else None,
            })  # fmt: skip
    return pd.DataFrame(rows, columns=list(QUERIES["dora_service_weekly"].columns))


def test_latest_complete_weeks_leave_out_the_week_in_progress_and_the_weeks_outside_the_span():
    latest = latest_complete_weeks(_service_weeks())
    # WEEKS[-1] is in progress and WEEKS[-2] outside the span: the four before them, for every service
    assert sorted(set(latest["week_start"])) == list(WEEKS[-6:-2])
    assert len(latest) == LATEST_WEEKS * len(SERVICES)
    assert latest["lead_time_p50_hours"].notna().all()


def test_latest_complete_weeks_of_a_short_grid_are_the_weeks_it_has():
    rows = _service_weeks()
    short = rows[rows["week_start"] <= WEEKS[2]]
    assert sorted(set(latest_complete_weeks(short)["week_start"])) == list(WEEKS[:2])
    assert latest_complete_weeks(short.iloc[0:0]).empty


def _line_paths(svg: str) -> list[str]:
    """The `d` of every line mark Vega drew: one path per series and panel."""
    return re.findall(r'<path aria-label="[^"]*" role="graphics-symbol" aria-roledescription="line mark"', svg)


def test_the_reports_service_chart_draws_one_line_per_service_in_its_teams_panel():
    rows = _service_weeks()
    chart = charts.service_lines(rows, "lead_time_p50_hours", "lead_time_band", "Lead time", ",.0f")
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    assert len(_line_paths(svg)) == len(SERVICES)
    for service in SERVICES:
        assert f">{service}</text>" in svg, f"{service} is not in the legend"
    panels = re.findall(r'<text[^>]*>(Growth|Ledger)</text>', svg)
    assert sorted(set(panels)) == ["Growth", "Ledger"]


def test_the_report_section_has_a_chart_per_dora_metric_and_the_latest_weeks_table():
    section = sections.service_dora_section(_service_weeks())
    keys = [figure.key for figure in section.figures]
    assert keys == [
        "service-dora-deployments", "service-dora-lead-time-p50-hours", "service-dora-change-failure-rate",
        "service-dora-recovery-time-p50-hours", "service-dora-latest",
    ]  # fmt: skip
    assert all(figure.queries == ("dora_service_weekly",) for figure in section.figures)
    assert all(figure.metrics_section.startswith("Services") for figure in section.figures)
    table = section.figures[-1]
    assert table.sample.startswith(f"{len(SERVICES)} services × {LATEST_WEEKS} weeks")


def test_the_latest_weeks_table_shows_each_services_values_as_formatted_with_its_own_band():
    latest = latest_complete_weeks(_service_weeks())
    metrics = tuple((c, b, h, p) for c, b, _, _, h, p in sections.SERVICE_METRICS)
    chart = charts.service_latest_weeks(latest, metrics)
    chart.to_dict()  # validates against the Vega-Lite schema
    cells = chart.data.set_index(["service_label", "week", "metric"]).sort_index()
    week = f"{WEEKS[-3]:%Y-%m-%d}"
    api, worker = cells.loc[("Growth · api", week)], cells.loc[("Growth · worker", week)]
    assert api.loc["change failure rate"].tolist() == ["50%", "low"]
    assert api.loc["recovery p50"].tolist() == ["3.5 h", "elite"]
    assert worker.loc["recovery p50"].tolist() == ["–", charts.NO_BAND]  # no failure: no recovery, no band
    assert worker.loc["lead time p50"].tolist() == [f"{30 + len(WEEKS) - 3:,.0f} h", "elite"]
    assert len(cells) == LATEST_WEEKS * len(SERVICES) * len(metrics)
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
    assert svg.count('aria-roledescription="rect mark"') == len(cells)  # every cell drawn, none dropped


def test_the_apps_chart_draws_one_line_per_service_when_asked_to():
    rows = _service_weeks()
    present = rows.dropna(subset=["lead_time_p50_hours"])
    by_service = app_charts.weekly_lines(
        present, "lead_time_p50_hours", "Lead time", "lead_time_band", delivery_weeks=rows, series="service"
    )
    by_team = app_charts.weekly_lines(present, "lead_time_p50_hours", "Lead time", "lead_time_band")
    assert len(_line_paths(vl_convert.vegalite_to_svg(by_service.to_dict()))) == len(SERVICES)
    assert len(_line_paths(vl_convert.vegalite_to_svg(by_team.to_dict()))) == len(TEAM_NAMES)
