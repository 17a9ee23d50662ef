"""The BI snapshot: a full copy, replaced atomically, readable while the live warehouse is being written."""

from __future__ import annotations

import duckdb

from extractors.core.warehouse import publish_snapshot


def test_snapshot_copies_tables_and_views_and_never_blocks_the_writer(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    published = tmp_path / "published" / "warehouse.duckdb"
    with duckdb.connect(str(live)) as conn:
        conn.execute("create schema marts")
        conn.execute("create table marts.t as select range as n from range(5)")
        conn.execute("create view marts.v as select sum(n) as total from marts.t")
    publish_snapshot(live, published)
    reader = duckdb.connect(str(published), read_only=True)  # a BI session that stays open
    assert reader.execute("select total from marts.v").fetchone() == (10,)
    with duckdb.connect(str(live)) as writer:  # the writer is not blocked by that reader
        writer.execute("insert into marts.t values (100)")
    publish_snapshot(live, published)  # swapped in while the old snapshot is still open
    assert reader.execute("select total from marts.v").fetchone() == (10,)  # old readers keep their copy
    reader.close()
    with duckdb.connect(str(published), read_only=True) as fresh:
        assert fresh.execute("select total from marts.v").fetchone() == (110,)
    assert sorted(p.name for p in published.parent.iterdir()) == ["warehouse.duckdb"]
