"""`delivery report`: the warehouse's answer as one self-contained HTML file an engineering leader can open or mail.

Reads the published snapshot read-only through the ready-made queries (queries.py), draws the charts
(charts.py, sections.py), and writes one file with everything inline (page.py): no network at view time.
The file is written beside the snapshot by default and replaced atomically, like the snapshot itself.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pandas as pd

from extractors.core.errors import WarehouseError
from extractors.core.warehouse import connect
from extractors.dashboards.page import render_page
from extractors.dashboards.queries import QUERIES, run
from extractors.dashboards.rules import read_metrics_sections
from extractors.dashboards.sections import build_sections
from extractors.dashboards.vega_runtime import vega_bundle
from extractors.dashboards.verdicts import verdict_table

TITLE = "Delivery report: busier or faster?"


def default_report_path(published: Path) -> Path:
    return published.with_name("delivery-report.html")


def _frame(conn: duckdb.DuckDBPyConnection, name: str) -> pd.DataFrame:
    return conn.execute(QUERIES[name].sql).df()


def read_snapshot(published: Path) -> tuple[dict[str, tuple[list[str], list[tuple]]], dict[str, pd.DataFrame]]:
    """Every ready-made query's rows (for the CSVs) and the same as DataFrames (for the charts)."""
    with connect(published, read_only=True) as conn:
        rows = {name: run(conn, name) for name in QUERIES}
        frames = {name: _frame(conn, name) for name in QUERIES}
    return rows, frames


def write_report(published: Path, out: Path) -> Path:
    published, out = Path(published), Path(out)
    if not published.exists():
        raise WarehouseError(f"no published snapshot at {published}: run the pipeline (delivery run) first")
    rows, frames = read_snapshot(published)
    status = frames["data_status"].iloc[0].to_dict() if len(frames["data_status"]) else {}
    status["last_loaded_at"] = rows["data_status"][1][0][0] if rows["data_status"][1] else None
    html = render_page(
        title=TITLE,
        written_at=dt.datetime.now(dt.UTC),
        status=status,
        verdicts=verdict_table(frames["team_verdicts"], frames["ai_impact"]),
        sections=build_sections(frames),
        rows=rows,
        rule_texts=read_metrics_sections(),
        vega_bundle=vega_bundle(),
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, out)  # a reader (or a mail client) never picks up half a file
    return out
