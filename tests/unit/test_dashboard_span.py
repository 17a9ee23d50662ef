"""Every weekly chart of a delivery metric shades the weeks outside the delivery span (dashboards/span.py).

Both dashboards are covered: the report's charts (charts.py) and the app's (app_charts.py), on rows shaped like the
ready-made queries' (queries.py), which must carry `is_in_delivery_span` from marts.dim_weeks.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
import vl_convert

from extractors.dashboards import app_charts, charts, sections
from extractors.dashboards.queries import QUERIES
from extractors.dashboards.span import NOTE, outside_span_weeks

WEEKS = pd.to_datetime(["2025-12-22", "2025-12-29", "2026-01-05", "2026-01-12", "2026-01-19", "2026-01-26"])
# a tracker backlog before the first commit, and tracker-only weeks after the last deployment
OUTSIDE = [WEEKS[0], WEEKS[1], WEEKS[5]]
TEAMS = {"alpha": "Alpha", "beta": "Beta"}
DELIVERY_QUERIES = (
    "dora_weekly", "dora_service_weekly", "request_to_production_weekly", "bottleneck_stages_weekly",
    "divergence_weekly",
)  # fmt: skip


def _grid(all_inside: bool = False, **columns) -> pd.DataFrame:
    """A team × week grid as the weekly queries return it; outside the span the delivery values are null."""
    rows = []
    for team_key, team_name in TEAMS.items():
        for number, week in enumerate(WEEKS):
            inside = all_inside or week not in OUTSIDE
            values = {name: (value(number) if inside else None) for name, value in columns.items()}
            rows.append({"team_key": team_key, "team_name": team_name, "week_start": week,
                         "is_in_delivery_span": inside, **values})  # fmt: skip
    return pd.DataFrame(rows)


def _dora(all_inside: bool = False) -> pd.DataFrame:
    frame = _grid(all_inside, lead_time_p50_hours=lambda n: 20.0 + n, deployment_frequency_band=lambda n: "high")
    return frame.assign(deployments=frame["lead_time_p50_hours"].notna().astype(int) * 3, changes_deployed=3)


def _thresholds() -> pd.DataFrame:
    return pd.DataFrame(
        {"band": ["elite", "high", "medium", "low"], "band_rank": [1, 2, 3, 4], "threshold": [24, 168, 720, None],
         "threshold_means": "at most"}
    )  # fmt: skip


def _stages(all_inside: bool = False) -> pd.DataFrame:
    weeks = _grid(all_inside, changes_deployed=lambda n: 2, bottleneck_stage=lambda n: "review", ci_hours=lambda n: 1.0)
    stages = pd.DataFrame({"stage": list(charts.STAGES), "stage_order": range(1, len(charts.STAGES) + 1)})
    frame = weeks.merge(stages, how="cross")
    hours = frame["stage_order"].where(frame["is_in_delivery_span"]).astype(float)
    return frame.assign(hours=hours, share=hours / 21)


def _divergence(all_inside: bool = False) -> pd.DataFrame:
    frame = _grid(all_inside, activity_index=lambda n: 0.1 * n, outcome_index=lambda n: -0.05 * n)
    status = frame["activity_index"].notna().map({True: "on track", False: "not enough data"})
    return frame.assign(divergence_status=status)


def _requests(all_inside: bool = False) -> pd.DataFrame:
    return _grid(all_inside, request_to_production_p50_hours=lambda n: 100.0 + n, items_delivered=lambda n: 4)


def _services(all_inside: bool = False) -> pd.DataFrame:
    # two services per team, as dora_service_weekly returns them
    frame = _dora(all_inside).assign(
        lead_time_band="elite", change_failure_rate=0.1, change_failure_rate_band="high", recovery_time_p50_hours=2.0,
        recovery_time_band="elite", failures_recovered=1,
    )  # fmt: skip
    return pd.concat(frame.assign(service=frame["team_key"] + suffix) for suffix in ("-web", "-api"))


def _escapes() -> pd.DataFrame:
    # bugs are tracker facts: counted in every week, so the chart is not shaded (docs/BI.md)
    return _grid().assign(defect_escape_rate=0.2, bugs=5)


def _delivery_charts(all_inside: bool = False) -> dict[str, alt.TopLevelMixin]:
    dora, requests, divergence = _dora(all_inside), _requests(all_inside), _divergence(all_inside)
    present = dora.dropna(subset=["lead_time_p50_hours"])  # the app draws the weeks with a value
    return {
        "report dora_trend": charts.dora_trend(dora, _thresholds(), "lead_time_p50_hours", "Lead time", ",.0f"),
        "report weekly_lines": charts.weekly_lines(
            requests, "request_to_production_p50_hours", "Request to production", ",.0f", "items_delivered",
            delivery_weeks=requests,
        ),
        "report stage_breakdown": charts.stage_breakdown(_stages(all_inside)),
        "report service_lines": charts.service_lines(
            _services(all_inside), "lead_time_p50_hours", "lead_time_band", "Lead time", ",.0f"
        ),
        "report divergence_indexes": charts.divergence_indexes(divergence),
        "app weekly_lines": app_charts.weekly_lines(present, "lead_time_p50_hours", "Lead time", delivery_weeks=dora),
        "app weekly_lines with band": app_charts.weekly_lines(
            present, "lead_time_p50_hours", "Lead time", "deployment_frequency_band", delivery_weeks=dora
        ),
        "app weekly_lines per service": app_charts.weekly_lines(
            present.assign(service=present["team_key"] + "-web"), "lead_time_p50_hours", "Lead time",
            "deployment_frequency_band", delivery_weeks=dora, series="service",
        ),
        "app divergence": app_charts.divergence(
            divergence.dropna(subset=["activity_index", "outcome_index"]), delivery_weeks=divergence
        ),
    }  # fmt: skip


def _shading_layers(chart) -> list[pd.DataFrame]:
    """The data of every layer of `chart` (nested layers and facets included) that is the span shading."""
    if isinstance(chart, alt.FacetChart):
        return _shading_layers(chart.spec)
    if isinstance(chart, alt.LayerChart):
        return [data for layer in chart.layer for data in _shading_layers(layer)]
    data = chart.data
    return [data] if isinstance(data, pd.DataFrame) and "shade_from" in data.columns else []


def test_outside_span_weeks_are_the_distinct_weeks_flagged_outside_each_centred_on_its_week_start():
    frame = _dora()
    weeks = outside_span_weeks(frame)
    assert list(weeks["week_start"]) == OUTSIDE
    assert (weeks["shade_to"] - weeks["shade_from"] == pd.Timedelta(days=7)).all()
    assert (weeks["week_start"] - weeks["shade_from"] == pd.Timedelta(days=3.5)).all()
    assert set(weeks["note"]) == {NOTE}


def test_a_week_without_a_flag_is_not_shaded_and_dates_may_come_as_date_objects():
    frame = pd.DataFrame({"week_start": [w.date() for w in WEEKS[:3]], "is_in_delivery_span": [False, None, True]})
    assert list(outside_span_weeks(frame)["week_start"]) == [WEEKS[0]]


@pytest.mark.parametrize("name", list(_delivery_charts()))
def test_every_weekly_delivery_chart_shades_exactly_the_weeks_outside_the_span(name):
    chart = _delivery_charts()[name]
    chart.to_dict()  # validates against the Vega-Lite schema (the report writes its specs unvalidated)
    layers = _shading_layers(chart)
    assert len(layers) == 1, f"{name}: {len(layers)} shading layers"
    assert list(layers[0]["week_start"]) == OUTSIDE
    assert set(layers[0]["note"]) == {NOTE}


@pytest.mark.parametrize("name", list(_delivery_charts(all_inside=True)))
def test_no_shading_when_every_week_is_inside_the_span(name):
    assert _shading_layers(_delivery_charts(all_inside=True)[name]) == []


def test_charts_not_of_a_delivery_metric_are_not_shaded():
    escapes = _escapes()
    assert _shading_layers(charts.weekly_lines(escapes, "defect_escape_rate", "Escapes", ".0%", "bugs")) == []
    assert _shading_layers(app_charts.weekly_lines(escapes, "defect_escape_rate", "Escapes")) == []


def test_the_reports_figures_shade_every_delivery_chart_and_not_the_tables_or_the_defect_escape_one():
    dora = _dora().assign(
        change_failure_rate=0.1, recovery_time_p50_hours=2.0, failure_rate_deployments=3, failed_deployments=0,
        failed_attempts=0, failures_recovered=0, merged_prs=4, pr_deployment_coverage=1.0, incidents=0,
        incident_attribution_coverage=None,
    )  # fmt: skip
    bands = pd.concat(_thresholds().assign(metric=metric, year=2024) for metric in
                      ("deployment_frequency", "lead_time_hours", "change_failure_rate", "recovery_time_hours"))
    figures = [
        *sections.dora_section(dora, bands).figures,
        *sections.flow_section(_requests(), _stages()).figures,
        *sections.divergence_section(_divergence()).figures,
    ]  # fmt: skip
    *service_trends, service_table = sections.service_dora_section(_services()).figures
    for figure in [*figures, *service_trends]:
        layers = _shading_layers(figure.chart)
        assert [list(layer["week_start"]) for layer in layers] == [OUTSIDE], figure.key
    assert _shading_layers(service_table.chart) == []  # its weeks are all inside the span
    (escape,) = sections.quality_section(_escapes().assign(bugs_found_in_production=1)).figures
    assert _shading_layers(escape.chart) == []


def test_the_shading_is_drawn_in_every_panel_of_a_faceted_chart_offline():
    # vl-convert compiles and renders the spec with no network: the note's legend, and each outside week's
    # rect in each team's panel (the shading keeps its own data inside the facet)
    svg = vl_convert.vegalite_to_svg(charts.stage_breakdown(_stages()).to_dict())
    rects = re.findall(rf'aria-label="[^"]*week: [^";]*; shading: {NOTE}"', svg)
    assert len(rects) == len(OUTSIDE) * len(TEAMS)
    assert f"Symbol legend for fill color with 1 value: {NOTE}" in svg


def test_the_queries_behind_the_weekly_delivery_charts_carry_the_span_flag_from_dim_weeks():
    for name in DELIVERY_QUERIES:
        query = QUERIES[name]
        assert query.columns[query.columns.index("week_start") + 1] == "is_in_delivery_span", name
        assert "weeks.is_in_delivery_span" in query.sql and "marts.dim_weeks as weeks" in query.sql, name
