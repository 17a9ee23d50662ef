"""The app's Altair charts. Each is rendered as SVG (not canvas) so its marks are in the page's DOM, where a
reader's assistive technology and the browser tests can see them."""

from __future__ import annotations

import altair as alt
import pandas as pd

from extractors.dashboards.span import with_span_shading

SVG = {"embedOptions": {"renderer": "svg"}}
HEIGHT = 220


def _svg(chart: alt.Chart) -> alt.Chart:
    return chart.properties(usermeta=SVG)


def weekly_lines(
    frame: pd.DataFrame,
    column: str,
    title: str,
    band: str | None = None,
    delivery_weeks: pd.DataFrame | None = None,
    series: str = "team_key",
) -> alt.Chart:
    """One line per team (or per `series`, e.g. service) over weeks; with a DORA band, each week's point is
    coloured by it. With `delivery_weeks` (a delivery metric's selected rows, those without a value included) the
    weeks outside the delivery span are shaded."""
    tooltip = list(dict.fromkeys(["team_key", series, "week_start", column] + ([band] if band else [])))
    base = alt.Chart(frame).encode(
        x=alt.X("week_start:T", title=None), y=alt.Y(f"{column}:Q", title=None), tooltip=tooltip
    )
    lines = base.mark_line(point=not band).encode(color=alt.Color(f"{series}:N", title=series.removesuffix("_key")))
    if band:
        points = base.mark_point(filled=True, size=45).encode(
            shape=alt.Shape(f"{series}:N", legend=None), color=alt.Color(f"{band}:N", title="band")
        )
        lines = alt.layer(lines, points).resolve_scale(color="independent")
    return _svg(with_span_shading(lines, delivery_weeks).properties(title=title, height=HEIGHT))


def stage_shares(frame: pd.DataFrame) -> alt.Chart:
    """Where changes wait: each stage's share of the time, stacked per team (rpt_bottleneck_weekly)."""
    return _svg(
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("team_key:N", title=None),
            x=alt.X("hours:Q", stack="normalize", title="share of the time from first commit to production"),
            color=alt.Color("stage:N", title="stage", sort=None),
            tooltip=["team_key", "stage", alt.Tooltip("hours:Q", format=",.0f")],
        )
        .properties(title="Where changes wait (period total)", height=HEIGHT)
    )


def ai_comparison(frame: pd.DataFrame) -> alt.Chart:
    """AI-assisted / other - 1 per measure with its 95 % interval, a row per team (rpt_ai_pr_comparison)."""
    base = alt.Chart(frame).encode(
        y=alt.Y("label:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("team_key:N"),
        color=alt.Color("team_key:N", title="team"),
    )
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X(
            "difference_ci_low:Q", title="AI-assisted vs other (relative, 95 % interval)", axis=alt.Axis(format="%")
        ),
        x2="difference_ci_high:Q",
    )
    points = base.mark_point(filled=True, size=60).encode(
        x="difference:Q",
        tooltip=["team_key", "label", alt.Tooltip("difference:Q", format="+.0%"), "ai_units", "other_units"],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 4], color="gray").encode(x="x:Q")
    return _svg(alt.layer(bars, points, zero).properties(title="AI-assisted vs other merged PRs", height=360))


def divergence(frame: pd.DataFrame, delivery_weeks: pd.DataFrame | None = None) -> alt.Chart:
    """Activity index against outcome index per team and week (rpt_divergence_weekly), the weeks of
    `delivery_weeks` outside the delivery span shaded."""
    long = frame.melt(
        id_vars=["team_key", "week_start"], value_vars=["activity_index", "outcome_index"], var_name="index"
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title=None),
            y=alt.Y("value:Q", title="index (baseline = 1)"),
            color=alt.Color("team_key:N", title="team"),
            strokeDash=alt.StrokeDash("index:N", title=None),
            tooltip=["team_key", "week_start", "index", alt.Tooltip("value:Q", format=".2f")],
        )
    )
    return _svg(with_span_shading(lines, delivery_weeks).properties(title="Activity vs outcomes", height=HEIGHT))


def investment(frame: pd.DataFrame) -> alt.Chart:
    """Monthly spend per team, AI tools beside infrastructure (rpt_investment_monthly)."""
    long = frame.melt(
        id_vars=["team_key", "month_start"], value_vars=["ai_tool_spend", "infrastructure_spend"], var_name="spend"
    )
    return _svg(
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("month_start:T", title=None, timeUnit="yearmonth"),
            y=alt.Y("value:Q", title="spend", stack=True),
            color=alt.Color("spend:N", title=None),
            column=alt.Column("team_key:N", title=None),
            tooltip=["team_key", "month_start", "spend", alt.Tooltip("value:Q", format=",.0f")],
        )
        .properties(title="Spend per month", height=HEIGHT, width=160)
    )
