"""The one way a weekly chart of a delivery metric marks the weeks outside the delivery span (METRICS.md "Weeks").

Outside `dim_weeks.is_in_delivery_span` the grid holds only tracker facts: deployments, lead times and activity
there are unknown, not zero, so a line that drops to zero or stops in those weeks is not a collapse. Every such
chart (the report's charts.py and the app's app_charts.py) layers this grey band behind its marks; the rows it
reads are a ready-made query's, which carry `is_in_delivery_span` beside `week_start`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

NOTE = "outside the delivery span: no delivery data"
GREY = "#d9d9d9"
# a week's point (or bar) sits on its week_start, so its shading reaches half a week to either side
_HALF_WEEK = pd.Timedelta(days=3.5)


def outside_span_weeks(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct week of `rows` outside the delivery span, with the x interval its shading covers.

    A week whose flag is null (not in dim_weeks) is not shaded: only a known outside week is.
    """
    flags = rows.drop_duplicates("week_start")
    weeks = pd.to_datetime(flags.loc[flags["is_in_delivery_span"].eq(False), "week_start"]).sort_values()
    return pd.DataFrame(
        {"week_start": weeks, "shade_from": weeks - _HALF_WEEK, "shade_to": weeks + _HALF_WEEK, "note": NOTE}
    ).reset_index(drop=True)


def span_shading(rows: pd.DataFrame) -> alt.Chart | None:
    """The grey rect layer over the weeks of `rows` outside the delivery span, or None when there are none."""
    weeks = outside_span_weeks(rows)
    if weeks.empty:
        return None
    return (
        alt.Chart(weeks)
        .mark_rect(opacity=0.6)
        .encode(
            x="shade_from:T",  # no title of its own: the axis keeps the chart's
            x2="shade_to:T",
            # fill, not color: a scale of its own, so the teams' colours stay as they are and the note is a legend
            fill=alt.Fill(
                "note:N", scale=alt.Scale(domain=[NOTE], range=[GREY]), legend=alt.Legend(title=None, labelLimit=0)
            ),
            tooltip=[alt.Tooltip("week_start:T", title="week"), alt.Tooltip("note:N", title="shading")],
        )
    )


def with_span_shading(chart: alt.Chart | alt.LayerChart, rows: pd.DataFrame | None) -> alt.Chart | alt.LayerChart:
    """`chart` with the weeks of `rows` outside the delivery span shaded behind its marks.

    Unchanged when every week is inside the span, or when `rows` is None (a chart not of a delivery metric).
    Apply it before `.properties(...)` and `.facet(...)`: inside a facet the shading keeps its own data, so every
    panel shows it, while a layer without data takes its panel's rows.
    """
    shading = None if rows is None else span_shading(rows)
    return chart if shading is None else alt.layer(shading, chart)
