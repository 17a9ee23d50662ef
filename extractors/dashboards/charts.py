"""The report's Altair charts: each takes the rows of one ready-made query (queries.py) and draws them.

Pure functions of DataFrames, so the rows a chart draws are exactly the rows the report offers as CSV.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from extractors.dashboards import formatting
from extractors.dashboards.span import with_span_shading

WIDTH = 620
HEIGHT = 200
BAND_COLOURS = {"elite": "#1a9850", "high": "#91cf60", "medium": "#fee08b", "low": "#fc8d59"}
NO_BAND = "no band"  # a week without the value a band needs
STAGES = ("coding", "pickup", "review", "rework", "merge", "deploy_wait")
_TEAM = alt.Color("team_name:N", title="team")
_WEEK = alt.X("week_start:T", title="week")


def band_ranges(thresholds: pd.DataFrame, at_least: bool, top: float) -> pd.DataFrame:
    """The y interval each DORA band covers, clipped to [0, top], from the seed's thresholds of one metric.

    Bands are tried best first (METRICS.md "DORA bands"): for "at most" metrics a band covers values above
    every better band's threshold up to its own (the last band has none: no upper limit); for deployment
    frequency ("at least") values from its threshold up to every better band's. A band whose interval is
    empty (2024's medium change failure rate is below high's) is never reached and is left out.
    """
    rows, bound = [], (top if at_least else 0.0)
    for band in thresholds.sort_values("band_rank").itertuples():
        threshold = None if pd.isna(band.threshold) else float(band.threshold)
        if at_least:
            low, high = threshold or 0.0, bound
            bound = min(bound, low)
        else:
            low, high = bound, top if threshold is None else threshold
            bound = max(bound, high)
        low, high = max(low, 0.0), min(high, top)
        if high > low:
            rows.append({"band": band.band, "band_low": low, "band_high": high})
    return pd.DataFrame(rows, columns=["band", "band_low", "band_high"])


def dora_trend(weeks: pd.DataFrame, thresholds: pd.DataFrame, column: str, title: str, fmt: str) -> alt.LayerChart:
    """One line per team over weeks on the shaded DORA bands of the year the marts were banded with, the weeks
    outside the delivery span shaded grey."""
    values = weeks[column].dropna()
    positive = thresholds["threshold"].dropna()
    positive = positive[positive > 0]
    top = max(float(values.max()) if len(values) else 0.0, float(positive.min()) if len(positive) else 1.0) * 1.15
    at_least = bool((thresholds["threshold_means"] == "at least").any())
    ranges = band_ranges(thresholds, at_least, top)
    y_scale = alt.Scale(domain=[0, top], nice=False, clamp=True)
    band_shading = (
        alt.Chart(ranges)
        .mark_rect(opacity=0.25)
        .encode(
            y=alt.Y("band_low:Q", scale=y_scale, title=title),
            y2="band_high:Q",
            color=alt.Color(
                "band:N",
                scale=alt.Scale(domain=list(BAND_COLOURS), range=list(BAND_COLOURS.values())),
                title="DORA band",
            ),
            tooltip=["band", "band_low", "band_high"],
        )
    )
    lines = (
        alt.Chart(weeks)
        .mark_line(point=True)
        .encode(
            x=_WEEK,
            y=alt.Y(f"{column}:Q", scale=y_scale, axis=alt.Axis(format=fmt), title=title),
            stroke=alt.Stroke("team_name:N", title="team"),
            tooltip=["team_name", "week_start:T", alt.Tooltip(f"{column}:Q", format=fmt)],
        )
    )
    chart = with_span_shading(alt.layer(band_shading, lines), weeks)
    return chart.properties(width=WIDTH, height=HEIGHT, title=title)


def service_lines(weeks: pd.DataFrame, column: str, band: str, title: str, fmt: str) -> alt.FacetChart:
    """One line per service over weeks, a panel per team, the weeks outside the delivery span shaded grey; a
    service's own band is in the tooltip (its bands are its own, not its team's: METRICS.md "Services")."""
    lines = (
        alt.Chart()  # no data of its own: each panel's rows come from the facet
        .mark_line(point=True)
        .encode(
            x=_WEEK,
            y=alt.Y(f"{column}:Q", axis=alt.Axis(format=fmt), title=None),  # the title is the figure's
            color=alt.Color("service:N", title="service"),
            tooltip=["team_name", "service", "week_start:T", alt.Tooltip(f"{column}:Q", format=fmt), band],
        )
    )
    return (
        with_span_shading(lines, weeks)
        .properties(width=WIDTH, height=110)
        .facet(row=alt.Row("team_name:N", title=None), data=weeks)
    )


def _cells(latest: pd.DataFrame, column: str, band: str, heading: str, pattern: str) -> pd.DataFrame:
    """One metric's cells of the latest-weeks table: the value as shown, and its band (or "no band")."""
    return pd.DataFrame({
        "service_label": latest["team_name"] + " · " + latest["service"],
        "week": pd.to_datetime(latest["week_start"]).dt.strftime("%Y-%m-%d"),
        "metric": heading,
        "value": [formatting.DASH if formatting.missing(v) else pattern.format(v) for v in latest[column]],
        "band": latest[band].fillna(NO_BAND),
    })  # fmt: skip


def service_latest_weeks(latest: pd.DataFrame, metrics: tuple[tuple[str, str, str, str], ...]) -> alt.FacetChart:
    """A small table drawn as a chart: each service's figures in the latest complete weeks, each cell coloured by
    the service's band. `metrics`: (column, its band column, heading, Python format of a value)."""
    cells = pd.concat([_cells(latest, *metric) for metric in metrics], ignore_index=True)
    colours = {**BAND_COLOURS, NO_BAND: "#f5f5f5"}
    base = alt.Chart().encode(
        x=alt.X("week:O", title=None, axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("service_label:N", title=None, axis=alt.Axis(labelLimit=260)),
    )
    shading = base.mark_rect().encode(
        color=alt.Color("band:N", scale=alt.Scale(domain=list(colours), range=list(colours.values())), title="band"),
        tooltip=["service_label", "week", "metric", "value", "band"],
    )
    values = base.mark_text(fontSize=10).encode(text="value:N")
    return (
        alt.layer(shading, values)
        .properties(width=alt.Step(70), height=alt.Step(20))
        .facet(column=alt.Column("metric:N", title=None, sort=[metric[2] for metric in metrics]), data=cells)
    )


def ai_impact_intervals(impact: pd.DataFrame) -> alt.FacetChart:
    """Each metric's change after adoption, and beyond the not-yet-adopted teams, with its 95% interval."""
    own = impact.assign(estimate="after ÷ before − 1", value=impact["relative_change"])
    own = own.assign(ci_low=impact["change_ci_low"], ci_high=impact["change_ci_high"])
    beyond = impact.assign(estimate="beyond not-yet-adopted teams", value=impact["difference_in_differences"])
    beyond = beyond.assign(ci_low=impact["difference_ci_low"], ci_high=impact["difference_ci_high"])
    frame = pd.concat([own, beyond])[
        ["team_name", "metric", "direction", "estimate", "value", "ci_low", "ci_high", "before_units", "after_units"]
    ].dropna(subset=["value"])
    base = alt.Chart(frame).encode(
        y=alt.Y("metric:N", title=None), yOffset=alt.YOffset("estimate:N"), color=alt.Color("estimate:N")
    )
    intervals = base.mark_rule().encode(x=alt.X("ci_low:Q", axis=alt.Axis(format="+%"), title="change"), x2="ci_high")
    points = base.mark_point(filled=True).encode(
        x="value:Q",
        shape=alt.Shape("direction:N"),
        tooltip=[
            "metric", "estimate", alt.Tooltip("value:Q", format="+.0%"), alt.Tooltip("ci_low:Q", format="+.0%"),
            alt.Tooltip("ci_high:Q", format="+.0%"), "before_units", "after_units", "direction",
        ],
    )  # fmt: skip
    zero = alt.Chart().mark_rule(strokeDash=[3, 3], color="grey").encode(x=alt.datum(0))
    return (
        alt.layer(zero, intervals, points, data=frame)
        .properties(width=300, height=alt.Step(9))
        .facet(column=alt.Column("team_name:N", title=None))
    )


def weekly_lines(
    weeks: pd.DataFrame, column: str, title: str, fmt: str, sample: str, delivery_weeks: pd.DataFrame | None = None
) -> alt.Chart | alt.LayerChart:
    """One line per team over weeks; the tooltip carries the week's sample size. With `delivery_weeks` (the rows
    of a delivery metric) the weeks outside the delivery span are shaded."""
    lines = (
        alt.Chart(weeks)
        .mark_line(point=True)
        .encode(
            x=_WEEK,
            y=alt.Y(f"{column}:Q", axis=alt.Axis(format=fmt), title=title),
            color=_TEAM,
            tooltip=["team_name", "week_start:T", alt.Tooltip(f"{column}:Q", format=fmt), sample],
        )
    )
    return with_span_shading(lines, delivery_weeks).properties(width=WIDTH, height=HEIGHT, title=title)


def stage_breakdown(stages: pd.DataFrame) -> alt.FacetChart:
    """Each week's time from first commit to production split into the pull request stages, per team, the weeks
    outside the delivery span shaded grey."""
    bars = (
        alt.Chart()  # no data of its own: each panel's rows come from the facet
        .mark_bar()
        .encode(
            x=_WEEK,
            y=alt.Y("hours:Q", stack="normalize", axis=alt.Axis(format="%"), title="share of the hours"),
            color=alt.Color("stage:N", sort=list(STAGES), scale=alt.Scale(domain=list(STAGES))),
            order=alt.Order("stage_order:Q"),
            tooltip=[
                "team_name",
                "week_start:T",
                "stage",
                alt.Tooltip("hours:Q", format=",.0f"),
                alt.Tooltip("share:Q", format=".0%"),
                alt.Tooltip("ci_hours:Q", format=",.1f", title="CI hours (beside the stages)"),
                "bottleneck_stage",
                "changes_deployed",
            ],
        )  # fmt: skip
    )
    return (
        with_span_shading(bars, stages)
        .properties(width=WIDTH, height=110)
        .facet(row=alt.Row("team_name:N", title=None), data=stages)
    )


def divergence_indexes(weeks: pd.DataFrame) -> alt.FacetChart:
    """The activity index beside the outcome index, per team and for the whole organisation, the weeks outside the
    delivery span shaded grey."""
    frame = weeks.melt(
        id_vars=["team_name", "week_start", "divergence_status"],
        value_vars=["activity_index", "outcome_index"],
        var_name="index",
        value_name="value",
    ).dropna(subset=["value"])
    lines = (
        alt.Chart()  # no data of its own: each panel's rows come from the facet
        .mark_line(point=True)
        .encode(
            x=_WEEK,
            y=alt.Y("value:Q", axis=alt.Axis(format="+%"), title="change vs baseline"),
            color=alt.Color("index:N", title=None),
            tooltip=["team_name", "week_start:T", "index", alt.Tooltip("value:Q", format="+.0%"), "divergence_status"],
        )
    )
    return (
        with_span_shading(lines, weeks)
        .properties(width=WIDTH, height=120)
        .facet(row=alt.Row("team_name:N", title=None), data=frame)
    )


def spend_ratio(months: pd.DataFrame) -> alt.LayerChart:
    """Infrastructure spend per unit of AI tool spend, per team and month, against the configured target."""
    teams = months[~months["is_org_rollup"].astype(bool)]
    lines = (
        alt.Chart(teams)
        .mark_line(point=True)
        .encode(
            x=alt.X("month_start:T", title="month", axis=alt.Axis(format="%Y-%m", tickCount="month")),
            y=alt.Y("infrastructure_to_ai_spend_ratio:Q", title="infrastructure ÷ AI tool spend"),
            color=_TEAM,
            tooltip=[
                "team_name",
                alt.Tooltip("month_start:T", format="%Y-%m"),
                "ai_tool_spend",
                "infrastructure_spend",
                alt.Tooltip("infrastructure_to_ai_spend_ratio:Q", format=".2f"),
                "missing_reason",
            ],
        )  # fmt: skip
    )
    target = (
        alt.Chart(teams)
        .mark_rule(strokeDash=[4, 4], color="black")
        .encode(y="mean(infrastructure_to_ai_spend_target):Q")
    )
    return alt.layer(lines, target).properties(width=WIDTH, height=HEIGHT, title="Infrastructure to AI spend")


def pr_comparison(rows: pd.DataFrame) -> alt.FacetChart:
    """AI-assisted vs other merged pull requests: ai ÷ other − 1 per measure, with its 95% interval."""
    frame = rows[rows["comparison_status"] == "compared"]
    base = alt.Chart().encode(
        y=alt.Y("measure:N", sort=alt.EncodingSortField("measure_order"), title=None),
        yOffset=alt.YOffset("period:N"),
        color=alt.Color("period:N"),
    )
    intervals = base.mark_rule().encode(
        x=alt.X("difference_ci_low:Q", axis=alt.Axis(format="+%"), title="AI-assisted vs other"),
        x2="difference_ci_high",
    )
    points = base.mark_point(filled=True).encode(
        x="difference:Q",
        tooltip=[
            "measure", "period", "ai_value", "other_value", "ai_units", "other_units",
            alt.Tooltip("difference:Q", format="+.0%"),
        ],
    )  # fmt: skip
    zero = alt.Chart().mark_rule(strokeDash=[3, 3], color="grey").encode(x=alt.datum(0))
    return (
        alt.layer(zero, intervals, points, data=frame)
        .properties(width=300)
        .facet(column=alt.Column("team_name:N", title=None))
    )
