"""The latest complete weeks of a weekly query's rows: what a "where does it stand now" table shows.

The grid's last week is still in progress (METRICS.md "Alerts"), and a week outside the delivery span holds no
delivery data (METRICS.md "Weeks"), so neither is a week to read a service's current DORA figures from. One
helper, so the report's table and the app's show the same weeks.
"""

from __future__ import annotations

import pandas as pd

LATEST_WEEKS = 4


def latest_complete_weeks(rows: pd.DataFrame, weeks: int = LATEST_WEEKS) -> pd.DataFrame:
    """The rows of the `weeks` latest weeks before the grid's last one that are not outside the delivery span."""
    if rows.empty:
        return rows
    week = pd.to_datetime(rows["week_start"])
    complete = rows[(week < week.max()) & rows["is_in_delivery_span"].ne(False)]
    latest = pd.to_datetime(complete["week_start"]).drop_duplicates().nlargest(weeks)
    return complete[pd.to_datetime(complete["week_start"]).isin(latest)].reset_index(drop=True)
