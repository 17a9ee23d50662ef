"""One bad landing file or line never blocks the rest: lines DuckDB cannot store are quarantined, files that
cannot be read are set aside in raw._rejected_files, and killed writers' temp files are cleaned up."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time

import duckdb
import pytest

from extractors.core.landing import LandingWriter, pending_manifests, remove_stale_temp_files
from extractors.core.loader import load_landing
from extractors.core.state import CursorStore
from extractors.core.warehouse import publish_snapshot

STREAMS = {"github": ["pull_requests", "commits"]}
AT = "2026-02-01T00:00:00Z"
BAD_KEY = "gh/pull_requests/acme__api/bad.jsonl.gz"


def line(record_id, payload, extracted_at=AT):
    return json.dumps({"record_id": record_id, "extracted_at": extracted_at, "payload": payload}).encode()


def land_lines(landing, run_id, lines, source="gh", stream="pull_requests", scope="acme/api"):
    """A landing file holding exactly `lines` (bytes, one a line), committed with its manifest."""
    writer = LandingWriter(landing, source, "github", stream, scope, run_id)
    for text in lines:
        writer._gzip.write(text + b"\n")
    return writer.commit(cursor=f"cursor-{run_id}")


def land_neighbours(landing):
    """Good files of another stream, another source instance and another scope, written before and after."""
    land_lines(landing, "early", [line("c1", {"sha": "c1"})], stream="commits")
    land_lines(landing, "other", [line("p1", {"id": 1})], source="gh2")
    land_lines(landing, "late", [line("p2", {"id": 2})], scope="acme/web")


def everything(conn):
    """Every raw and bookkeeping row, except load times, to show a second load changes nothing."""
    rows = {}
    for table in ["github__pull_requests", "github__commits"]:
        rows[table] = conn.execute(f"""select source_instance, scope, record_id, payload::varchar, extracted_at,
                                       landing_file from raw.{table} order by all""").fetchall()
    rows["quarantine"] = conn.execute("""select landing_file, line_number, reason, raw_text from raw._quarantine
                                         order by all""").fetchall()
    rows["loaded"] = conn.execute("""select landing_file, records, inserted, quarantined from raw._loaded_files
                                     order by all""").fetchall()
    rows["rejected"] = conn.execute("select * from raw._rejected_files order by all").fetchall()
    rows["cursors"] = conn.execute(
        "select source_instance, stream, scope, cursor from raw._cursors order by all"
    ).fetchall()
    return rows


def assert_neighbours_loaded(conn):
    loaded = {r[0] for r in conn.execute("select landing_file from raw._loaded_files").fetchall()}
    assert {
        "gh/commits/acme__api/early.jsonl.gz",
        "gh2/pull_requests/acme__api/other.jsonl.gz",
        "gh/pull_requests/acme__web/late.jsonl.gz",
    } <= loaded
    assert conn.execute("select count(*) from raw.github__commits").fetchone()[0] == 1
    assert (
        conn.execute("select count(*) from raw.github__pull_requests where record_id in ('p1', 'p2')").fetchone()[0]
        == 2
    )


@pytest.fixture
def env(tmp_path):
    landing = tmp_path / "landing"
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    yield landing, CursorStore(tmp_path / "state"), conn
    conn.close()


LINE_CASES = [
    # name, the bad line (bytes), the reason it gets
    (
        "lone surrogate in a payload string",
        b'{"record_id": "9", "extracted_at": "' + AT.encode() + b'", "payload": {"body": "broken \\ud800 emoji"}}',
        "not valid JSON",
    ),
    (
        "invalid UTF-8 bytes",
        b'{"record_id": "9", "extracted_at": "' + AT.encode() + b'", "payload": {"body": "caf\xe9 \xff"}}',
        "invalid UTF-8",
    ),
    ("a JSON array", b'[{"record_id": "9"}]', "line is not a JSON object but array"),
    ("a JSON string", b'"just text"', "line is not a JSON object but varchar"),
    ("a JSON number", b"12", "line is not a JSON object but ubigint"),
    ("missing record_id", json.dumps({"extracted_at": AT, "payload": {"id": 9}}).encode(), "missing record_id"),
    ("empty record_id", line("", {"id": 9}), "missing record_id"),
    ("missing payload", json.dumps({"record_id": "9", "extracted_at": AT}).encode(), "missing payload"),
    ("payload is a string", line("9", "a string"), "payload is varchar, not a JSON object or array"),
    (
        "extracted_at yesterday",
        line("9", {"id": 9}, extracted_at="yesterday"),
        "extracted_at is not a timestamp: yesterday",
    ),
    ("extracted_at 12", line("9", {"id": 9}, extracted_at=12), "extracted_at is not a timestamp: 12"),
    ("missing extracted_at", json.dumps({"record_id": "9", "payload": {"id": 9}}).encode(), "missing extracted_at"),
    ("empty line", b"", "empty line"),
]


@pytest.mark.parametrize(("bad_line", "reason"), [c[1:] for c in LINE_CASES], ids=[c[0] for c in LINE_CASES])
def test_a_line_duckdb_cannot_store_is_quarantined_and_the_rest_loads(env, bad_line, reason):
    landing, cursors, conn = env
    land_neighbours(landing)
    land_lines(landing, "bad", [line("1", {"id": 1}), bad_line, line("3", {"id": 3, "title": "é 😀"})])
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.files, summary.records, summary.quarantined, summary.rejected) == (4, 5, 1, 0)
    stored = conn.execute(
        """select record_id, payload->>'title' from raw.github__pull_requests
                             where landing_file = ? order by record_id""",
        [BAD_KEY],
    ).fetchall()
    assert stored == [("1", None), ("3", "é 😀")]
    ((key, line_number, got_reason, raw_text),) = conn.execute(
        "select landing_file, line_number, reason, raw_text from raw._quarantine"
    ).fetchall()
    assert (key, line_number) == (BAD_KEY, 2)
    assert got_reason.startswith(reason)
    assert raw_text == bad_line.decode("utf-8", errors="replace")
    assert conn.execute(
        "select records, inserted, quarantined from raw._loaded_files where landing_file = ?", [BAD_KEY]
    ).fetchone() == (2, 2, 1)
    assert cursors.get("gh", "pull_requests", "acme/api") == "cursor-bad"  # the file's cursor moved with it
    assert_neighbours_loaded(conn)
    before = everything(conn)
    again = load_landing(conn, landing, cursors, STREAMS)
    assert (again.files, again.skipped, again.inserted, again.quarantined) == (0, 4, 0, 0)
    assert everything(conn) == before


def test_lines_are_numbered_as_in_the_file_and_the_extractors_quarantine_keeps_its_reason(env):
    landing, cursors, conn = env
    writer = LandingWriter(landing, "gh", "github", "pull_requests", "acme/api", "bad")
    writer.write("1", {"id": 1})
    writer.write(None, {"odd": True})  # the extractor's own quarantine line
    writer._gzip.write(b"\n\xff\n" + line("2", {"id": 2}) + b"\n" + b'{"unfinished": ')  # no final newline
    writer.commit()
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.records, summary.quarantined) == (2, 4)
    rows = conn.execute("select line_number, reason, raw_text from raw._quarantine order by line_number").fetchall()
    assert [(n, r.split(" (")[0]) for n, r, _ in rows] == [
        (2, "record has no primary key"),
        (3, "empty line"),
        (4, "invalid UTF-8"),
        (6, "not valid JSON"),
    ]
    assert json.loads(rows[0][2]) == {"odd": True} and rows[2][2] == "\ufffd" and rows[3][2] == '{"unfinished": '


def corrupt_truncated(data_path, manifest_path):
    data_path.write_bytes(data_path.read_bytes()[:-12])


def corrupt_not_gzip(data_path, manifest_path):
    data_path.write_bytes(line("1", {"id": 1}) + b"\n")


def corrupt_empty(data_path, manifest_path):
    data_path.write_bytes(b"")


def corrupt_manifest_half_written(data_path, manifest_path):
    manifest_path.write_text(manifest_path.read_text()[:40])


def corrupt_manifest_without_fields(data_path, manifest_path):
    manifest_path.write_text(json.dumps({"source": "gh", "data_file": "../../escape.jsonl.gz"}))


def corrupt_data_missing(data_path, manifest_path):
    data_path.unlink()


FILE_CASES = [
    # name, how the file is damaged, the rejected landing_file, its reason
    ("truncated gzip", corrupt_truncated, BAD_KEY, "truncated gzip data"),
    ("not gzip", corrupt_not_gzip, BAD_KEY, "not gzip data"),
    ("empty file", corrupt_empty, BAD_KEY, "empty file, not gzip data"),
    (
        "half-written manifest",
        corrupt_manifest_half_written,
        "gh/pull_requests/acme__api/bad.manifest.json",
        "unreadable manifest: JSONDecodeError",
    ),
    (
        "manifest without fields",
        corrupt_manifest_without_fields,
        "gh/pull_requests/acme__api/bad.manifest.json",
        "manifest lacks kind, stream, scope, run_id, written_at",
    ),
    ("data file missing", corrupt_data_missing, BAD_KEY, "data file missing"),
]


def land_bad_file(landing, corrupt):
    records = [line(str(n), {"id": n, "body": "x" * 500}) for n in range(200)]  # more than one gzip block
    data_path = land_lines(landing, "bad", records)
    corrupt(data_path, data_path.with_name("bad.manifest.json"))
    return data_path


@pytest.mark.parametrize(("corrupt", "key", "reason"), [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_a_file_that_cannot_be_read_is_set_aside_and_every_other_file_loads(env, caplog, corrupt, key, reason):
    landing, cursors, conn = env
    land_neighbours(landing)
    land_bad_file(landing, corrupt)
    assert len(pending_manifests(landing)) == 4  # a bad manifest does not break the listing
    with caplog.at_level(logging.ERROR, logger="extractors.core.loader"):
        summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.files, summary.rejected, summary.inserted) == (3, 1, 3)
    ((got_key, got_reason, rejected_at),) = conn.execute("select * from raw._rejected_files").fetchall()
    assert got_key == key and got_reason.startswith(reason) and rejected_at is not None
    assert key in caplog.text and reason in caplog.text  # the message names the file
    assert (
        conn.execute("select count(*) from raw.github__pull_requests where landing_file = ?", [BAD_KEY]).fetchone()[0]
        == 0
    )
    assert cursors.get("gh", "pull_requests", "acme/api") is None  # its cursor did not move
    assert_neighbours_loaded(conn)
    before = everything(conn)
    again = load_landing(conn, landing, cursors, STREAMS)  # not retried: stays recorded, skipped
    assert (again.files, again.skipped, again.rejected, again.inserted) == (0, 3, 1, 0)
    assert everything(conn) == before


@pytest.mark.parametrize("corrupt", [corrupt_truncated, corrupt_manifest_half_written, corrupt_data_missing])
def test_a_set_aside_file_loads_once_it_is_replaced(env, corrupt):
    landing, cursors, conn = env
    land_bad_file(landing, corrupt)
    assert load_landing(conn, landing, cursors, STREAMS).rejected == 1
    time.sleep(0.05)  # file times are coarser than the clock
    land_bad_file(landing, lambda *paths: None)  # the extract re-run writes the same run again
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.files, summary.rejected, summary.inserted) == (1, 0, 200)
    assert conn.execute("select count(*) from raw._rejected_files").fetchone()[0] == 0
    assert cursors.get("gh", "pull_requests", "acme/api") == "cursor-bad"


def test_deleting_the_rejected_row_retries_the_file(env):
    landing, cursors, conn = env
    data_path = land_bad_file(landing, corrupt_not_gzip)
    load_landing(conn, landing, cursors, STREAMS)
    conn.execute("delete from raw._rejected_files")
    assert load_landing(conn, landing, cursors, STREAMS).rejected == 1  # still bad: set aside again
    assert conn.execute("select landing_file from raw._rejected_files").fetchall() == [(BAD_KEY,)]
    assert data_path.exists()  # the loader never deletes landing data


def age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_stale_landing_temp_files_are_removed_and_fresh_ones_kept(env):
    landing, cursors, conn = env
    land_lines(landing, "run1", [line("1", {"id": 1})])
    folder = landing / "gh" / "pull_requests" / "acme__api"
    old_data, old_manifest, fresh = folder / ".tmp-a1.jsonl.gz", folder / ".tmp-b2.json", folder / ".tmp-c3.jsonl.gz"
    for path in (old_data, old_manifest, fresh):
        path.write_bytes(b"partial")
    age(old_data, 2 * 3600)
    age(old_manifest, 2 * 3600)
    age(folder / "run1.jsonl.gz", 3 * 3600)  # landing data itself is never a temp file
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert summary.files == 1
    assert sorted(p.name for p in folder.iterdir()) == [".tmp-c3.jsonl.gz", "run1.jsonl.gz", "run1.manifest.json"]
    age(fresh, 30 * 60)
    assert remove_stale_temp_files(landing) == []  # half an hour: an extract may still be writing it
    assert remove_stale_temp_files(landing, older_than=10 * 60) == [fresh]


def dead_pid():
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(process.stdout)


def test_publish_removes_leftovers_of_dead_writers_and_keeps_a_running_one(tmp_path):
    live, published = tmp_path / "warehouse.duckdb", tmp_path / "published" / "warehouse.duckdb"
    with duckdb.connect(str(live)) as conn:
        conn.execute("create table t as select 1 as n")
    folder = published.parent
    folder.mkdir()
    dead, running = dead_pid(), os.getppid()
    leftovers = [
        folder / f".warehouse.duckdb.{dead}.tmp",
        folder / f".warehouse.duckdb.{dead}.tmp.wal",
        folder / f".warehouse.duckdb.{os.getpid()}.tmp.wal",
        folder / ".warehouse.duckdb.1.tmp",
    ]
    kept = [folder / f".warehouse.duckdb.{running}.tmp", folder / "notes.tmp", folder / ".other.duckdb.7.tmp"]
    for path in leftovers + kept:
        path.write_bytes(b"partial")
    age(leftovers[-1], 2 * 3600)  # pid 1 is alive, but nothing touched its file for two hours
    publish_snapshot(live, published)
    assert sorted(p.name for p in folder.iterdir()) == sorted(["warehouse.duckdb"] + [p.name for p in kept])
    with duckdb.connect(str(published), read_only=True) as reader:
        assert reader.execute("select n from t").fetchone() == (1,)


def test_a_dead_writers_temp_file_goes_at_once_and_a_live_or_foreign_one_stays(env):
    import socket

    landing, cursors, conn = env
    land_lines(landing, "run1", [line("1", {"id": 1})])
    folder = landing / "gh" / "pull_requests" / "acme__api"
    here = socket.gethostname()
    dead = folder / f".tmp-{dead_pid()}@{here}@x1.jsonl.gz"
    live = folder / f".tmp-{os.getpid()}@{here}@x2.jsonl.gz"
    foreign = folder / f".tmp-{dead_pid()}@another-host@x3.jsonl.gz"
    for path in (dead, live, foreign):
        path.write_bytes(b"partial")
    assert remove_stale_temp_files(landing) == [dead]  # seconds old, but its writer is gone
    assert folder.joinpath(live.name).exists() and foreign.exists()
    assert sorted(remove_stale_temp_files(landing, older_than=0)) == sorted([live, foreign])  # the age rule


def test_a_file_of_a_stream_no_kind_declares_is_set_aside_and_the_rest_loads(env):
    landing, cursors, conn = env
    land_lines(landing, "run1", [line("1", {"id": 1})], source="gone", stream="widgets")
    land_lines(landing, "run2", [line("2", {"id": 2})])
    summary = load_landing(conn, landing, cursors, STREAMS)
    assert (summary.files, summary.rejected) == (1, 1)
    reason = conn.execute("select reason from raw._rejected_files").fetchone()[0]
    assert reason == "no registered source kind declares github/widgets"
