"""The summary tells a reader what the numbers leave out: bad values, records and files set aside, staleness."""

from __future__ import annotations

import duckdb

from extractors.core.landing import LandingWriter
from extractors.core.loader import load_landing
from extractors.core.state import CursorStore
from extractors.summary import health_summary


def land(landing, run_id):
    writer = LandingWriter(landing, "gh", "github", "pull_requests", "acme/api", run_id)
    writer.write("1", {"id": 1})
    writer.quarantine("record has no primary key", "{}")
    writer.commit()


def test_health_names_bad_values_set_aside_records_and_a_stale_snapshot(tmp_path):
    landing, published = tmp_path / "landing", tmp_path / "published.duckdb"
    land(landing, "run1")
    with duckdb.connect(str(published)) as conn:  # the snapshot's tables as dbt and the loader leave them
        load_landing(conn, landing, CursorStore(tmp_path / "state"), {"github": ["pull_requests"]})
        conn.execute("create schema data_quality")
        conn.execute("create table data_quality.dq_invalid_values as select * from (values (true), (false)) "
                     "as t(is_record_excluded)")  # fmt: skip
    report = health_summary(published, landing)
    assert "Data quality: 2 values staging could not use (1 records left out of the marts)" in report
    assert "Set aside: 1 records in raw._quarantine, 0 landing files in raw._rejected_files" in report
    assert "STALE" not in report
    land(landing, "run2")  # extracted after the snapshot was written
    assert "STALE: this snapshot is older than the latest extract: 1 landing files" in health_summary(
        published, landing
    )
