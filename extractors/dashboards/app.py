"""Delivery Warehouse, interactive: `streamlit run extractors/dashboards/app.py -- --config PATH`.

Reads only the published BI snapshot of the pipeline config (DELIVERY_CONFIG or --config), read-only, one
short connection per query; results are cached per snapshot version, so a snapshot the pipeline swaps in
is read on the next rerun. `make dashboard` serves it on 127.0.0.1 against the demo warehouse.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import streamlit as st

from extractors.dashboards import app_views
from extractors.dashboards.app_filters import sidebar_filters
from extractors.dashboards.app_snapshot import published_path_from, snapshot_version
from extractors.dashboards.app_source import Source


def main() -> None:
    st.set_page_config(page_title="Delivery Warehouse", layout="wide")
    published = published_path_from(sys.argv[1:])
    if not Path(published).is_file():
        st.warning(f"No published snapshot at {published} yet: run the pipeline (`make demo`) first.")
        st.stop()
    source = Source(published, snapshot_version(published))
    st.title("Delivery Warehouse")
    filters = sidebar_filters(source.team_names(), source.repositories(), source.weeks())
    app_views.freshness(source)
    app_views.verdicts(source, filters)
    app_views.headline(source, filters)
    # one page of sections rather than tabs: a chart in a hidden tab is laid out at zero width
    for view in (app_views.dora, app_views.service_dora, app_views.flow, app_views.ai_comparison,
                 app_views.divergence, app_views.investment, app_views.drill_down):  # fmt: skip
        view(source, filters)
    # the last element: once it shows, every section above has been sent to the browser
    published_at = dt.datetime.fromtimestamp(source.version.mtime_ns / 1e9, dt.UTC)
    st.caption(f"End of page · snapshot published {published_at:%Y-%m-%d %H:%M:%S} UTC")


main()
