"""Landing atomicity, loader idempotency, quarantine, and cursors that move only after a commit."""

from __future__ import annotations

import gzip
import json

import duckdb
import pytest

from extractors.core.files import write_json_atomic
from extractors.core.landing import LandingWriter, pending_manifests
from extractors.core.loader import load_landing
from extractors.core.state import CursorStore

STREAMS = {"github": ["pull_requests", "commits"]}


def land(landing, run_id, records, cursor="2026-02-01T00:00:00Z", stream="pull_requests"):
    writer = LandingWriter(landing, "gh", "github", stream, "acme/api", run_id)
    for record_id, payload in records:
        writer.write(record_id, payload)
    return writer.commit(cursor=cursor)


def snapshot(conn):
    return conn.execute("""select source_instance, scope, record_id, payload::varchar, payload_hash, run_id
                           from raw.github__pull_requests order by all""").fetchall()


def test_unfinished_writer_publishes_nothing(tmp_path):
    writer = LandingWriter(tmp_path, "gh", "github", "pull_requests", "acme/api", "run1")
    writer.write("1", {"id": 1})
    assert pending_manifests(tmp_path) == []
    assert not writer.data_path.exists()
    writer.abort()
    assert list(writer.directory.iterdir()) == []


def test_manifest_is_written_after_the_data(tmp_path):
    path = land(tmp_path, "run1", [("1", {"id": 1})])
    manifest = json.loads(path.with_name("run1.manifest.json").read_text())
    assert manifest["records"] == 1 and manifest["data_file"] == path.name
    with gzip.open(path) as handle:
        assert json.loads(handle.readline())["payload"] == {"id": 1}


def test_loading_twice_changes_nothing_and_unchanged_records_add_no_rows(tmp_path):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    land(landing, "run1", [("1", {"id": 1, "title": "a"}), ("2", {"id": 2, "title": "b"})])
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    first = load_landing(conn, landing, cursors, STREAMS)
    before = snapshot(conn)
    second = load_landing(conn, landing, cursors, STREAMS)
    assert (first.inserted, second.inserted, second.skipped) == (2, 0, 1)
    assert snapshot(conn) == before
    # a later run that re-reads record 1 unchanged and record 2 changed adds exactly one version
    land(landing, "run2", [("1", {"id": 1, "title": "a"}), ("2", {"id": 2, "title": "b2"})])
    assert load_landing(conn, landing, cursors, STREAMS).inserted == 1
    assert conn.execute("select count(*) from raw.github__pull_requests").fetchone()[0] == 3
    tables = {r[0] for r in conn.execute("select table_name from information_schema.tables "
                                          "where table_schema = 'raw'").fetchall()}
    assert {"github__pull_requests", "github__commits", "_quarantine", "_loaded_files"} <= tables


def test_bad_lines_are_quarantined_with_reason_and_text(tmp_path):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    writer = LandingWriter(landing, "gh", "github", "commits", "acme/api", "run1")
    writer.write("abc", {"sha": "abc"})
    writer.write(None, {"sha": None, "odd": True})
    writer._gzip.write(b'{"record_id": "x", "payload": {broken\n')
    writer.commit()
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.inserted, summary.quarantined) == (1, 2)
    reasons = conn.execute("select reason, raw_text from raw._quarantine order by line_number").fetchall()
    assert reasons[0][0] == "record has no primary key" and '"odd": true' in reasons[0][1]
    assert reasons[1][0].startswith("not valid JSON") and "{broken" in reasons[1][1]


def test_cursor_advances_only_after_the_load_commits(tmp_path, monkeypatch):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    land(landing, "run1", [("1", {"id": 1})], cursor="2026-03-01T00:00:00Z")
    assert cursors.get("gh", "pull_requests", "acme/api") is None  # extracting alone moves nothing
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))

    def crash(*args, **kwargs):
        raise KeyboardInterrupt("killed mid-load")

    monkeypatch.setattr("extractors.core.loader._mirror_cursors", crash)
    with pytest.raises(KeyboardInterrupt):
        load_landing(conn, landing, cursors, STREAMS)
    assert cursors.get("gh", "pull_requests", "acme/api") is None  # committed in DuckDB, mirror not yet written
    monkeypatch.undo()
    load_landing(conn, landing, cursors, STREAMS)  # the next load repairs the mirror
    assert cursors.get("gh", "pull_requests", "acme/api") == "2026-03-01T00:00:00Z"


def test_failed_insert_rolls_back_file_and_cursor(tmp_path, monkeypatch):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    land(landing, "run1", [("1", {"id": 1})])
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    load_landing(conn, landing, cursors, STREAMS)
    conn.execute("delete from raw._loaded_files")
    conn.execute("drop table raw.github__pull_requests")
    conn.execute("create table raw.github__pull_requests (source_instance varchar)")  # incompatible on purpose
    with pytest.raises(duckdb.Error):
        load_landing(conn, landing, cursors, STREAMS)
    assert conn.execute("select count(*) from raw._loaded_files").fetchone()[0] == 0


def versions(conn, record_id):
    return conn.execute("""select payload->>'title' from raw.github__pull_requests where record_id = ?
                           order by extracted_at, loaded_at""", [record_id]).fetchall()


def latest_title(conn, record_id):
    return conn.execute("""select payload->>'title' from raw.github__pull_requests where record_id = ?
                           order by extracted_at desc, loaded_at desc limit 1""", [record_id]).fetchone()[0]


def test_a_record_that_changes_back_adds_a_version_and_is_latest_again(tmp_path):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    inserted = []
    for run_id, title in [("run1", "A"), ("run2", "B"), ("run3", "A")]:
        land(landing, run_id, [("1", {"id": 1, "title": title}), ("2", {"id": 2, "title": "same"})])
        inserted.append(load_landing(conn, landing, cursors, STREAMS).inserted)
    assert inserted == [2, 1, 1]
    assert versions(conn, "1") == [("A",), ("B",), ("A",)]
    assert latest_title(conn, "1") == "A"
    before = snapshot(conn)
    land(landing, "run4", [("1", {"id": 1, "title": "A"})])  # A again: unchanged since the latest version
    assert load_landing(conn, landing, cursors, STREAMS).inserted == 0
    assert snapshot(conn) == before


def test_versions_within_one_file_keep_their_order_and_repeats_collapse(tmp_path):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    writer = LandingWriter(landing, "gh", "github", "pull_requests", "acme/api", "run1")
    lines = [  # record 1 goes A, B, A; record 2 is read twice unchanged (e.g. overlapping windows)
        ("1", "A", "2026-02-01T00:00:01Z"), ("2", "X", "2026-02-01T00:00:02Z"), ("1", "B", "2026-02-01T00:00:03Z"),
        ("2", "X", "2026-02-01T00:00:04Z"), ("1", "A", "2026-02-01T00:00:05Z"),
    ]
    for record_id, title, extracted_at in lines:
        line = {"record_id": record_id, "extracted_at": extracted_at, "payload": {"id": record_id, "title": title}}
        writer._gzip.write(json.dumps(line).encode() + b"\n")
    writer.commit()
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.records, summary.inserted) == (4, 4)
    assert versions(conn, "1") == [("A",), ("B",), ("A",)]
    assert versions(conn, "2") == [("X",)]
    before = snapshot(conn)
    again = load_landing(conn, landing, cursors, STREAMS)
    assert (again.files, again.skipped, again.inserted) == (0, 1, 0)
    conn.execute("delete from raw._loaded_files")  # even a forced reload of the same file adds nothing
    assert load_landing(conn, landing, cursors, STREAMS).inserted == 0
    assert snapshot(conn) == before


def test_a_later_file_compares_its_first_version_with_the_latest_stored_one(tmp_path):
    landing, cursors = tmp_path / "landing", CursorStore(tmp_path / "state")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    land(landing, "run1", [("1", {"id": 1, "title": "A"}), ("1", {"id": 1, "title": "B"})])
    assert load_landing(conn, landing, cursors, STREAMS).inserted == 2
    # the latest stored version is B, so A comes back as a new version, its repeat collapses, then B is new again
    a, b = {"id": 1, "title": "A"}, {"id": 1, "title": "B"}
    land(landing, "run2", [("1", a), ("1", a), ("1", b)])
    assert load_landing(conn, landing, cursors, STREAMS).inserted == 2
    assert versions(conn, "1") == [("A",), ("B",), ("A",), ("B",)]
    land(landing, "run3", [("1", {"id": 1, "title": "B"})])
    assert load_landing(conn, landing, cursors, STREAMS).inserted == 0


def test_an_atomic_json_write_that_fails_keeps_the_old_file_and_no_temp(tmp_path):
    path = tmp_path / "cursor.json"
    write_json_atomic(path, {"cursor": 1})
    with pytest.raises(TypeError):
        write_json_atomic(path, {"cursor": object()})
    assert json.loads(path.read_text()) == {"cursor": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["cursor.json"]
