"""The loader: complete landing files into raw.<kind>__<stream>, exactly once.

It is the only DuckDB writer besides dbt. Each landing file loads in one transaction together with its
row in raw._loaded_files and the stream's cursor in raw._cursors, so a kill at any point either loads the
whole file and its cursor or nothing. Rows are record versions: a version adds a row only when its payload
differs from the record's previous version, which is the latest stored one (by extracted_at, then loaded_at)
for the record's first line in a file and the line before it in the file's order for later ones. So a
record unchanged since the last load adds no row, one that goes A -> B -> A keeps three rows with A the
latest, repeats within a file collapse, and loading the same data twice changes nothing.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from extractors.core.config_tables import config_tables
from extractors.core.landing import pending_manifests
from extractors.core.state import CursorStore

log = logging.getLogger(__name__)

RAW_SCHEMA = "raw"
_RAW_COLUMNS = """
    source_instance varchar not null,
    scope varchar not null,
    record_id varchar not null,
    parent_id varchar,
    payload json not null,
    payload_hash varchar not null,
    extracted_at timestamptz not null,
    run_id varchar not null,
    is_deleted boolean not null,
    landing_file varchar not null,
    loaded_at timestamptz not null
"""
_BOOKKEEPING = {
    "_loaded_files": """landing_file varchar primary key, source_instance varchar, stream varchar,
        scope varchar, run_id varchar, records bigint, inserted bigint, quarantined bigint,
        loaded_at timestamptz""",
    "_quarantine": """source_instance varchar, stream varchar, scope varchar, landing_file varchar,
        line_number bigint, reason varchar, raw_text varchar, quarantined_at timestamptz""",
    "_cursors": """source_instance varchar, stream varchar, scope varchar, cursor json, run_id varchar,
        updated_at timestamptz, primary key (source_instance, stream, scope)""",
}
_LANDING_COLUMNS = (
    "{record_id: 'VARCHAR', parent_id: 'VARCHAR', extracted_at: 'TIMESTAMPTZ', payload: 'JSON', is_deleted: 'BOOLEAN'}"
)


@dataclass
class LoadSummary:
    files: int = 0
    skipped: int = 0
    records: int = 0
    inserted: int = 0
    quarantined: int = 0
    by_table: dict[str, int] = field(default_factory=dict)


def raw_table(kind: str, stream: str) -> str:
    return f"{RAW_SCHEMA}.{kind}__{stream}"


def ensure_raw_tables(conn: duckdb.DuckDBPyConnection, streams_by_kind: dict[str, list[str]]) -> None:
    """Create every known raw table (empty) so dbt's sources exist whatever is configured."""
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    for name, columns in (_BOOKKEEPING | config_tables()).items():
        conn.execute(f"create table if not exists {RAW_SCHEMA}.{name} ({columns})")
    for kind, streams in streams_by_kind.items():
        for stream in streams:
            conn.execute(f"create table if not exists {raw_table(kind, stream)} ({_RAW_COLUMNS})")


def load_landing(
    conn: duckdb.DuckDBPyConnection, landing_dir: Path, cursors: CursorStore, streams_by_kind: dict[str, list[str]]
) -> LoadSummary:
    ensure_raw_tables(conn, streams_by_kind)
    summary = LoadSummary()
    loaded = {row[0] for row in conn.execute(f"select landing_file from {RAW_SCHEMA}._loaded_files").fetchall()}
    for manifest_path in pending_manifests(landing_dir):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        data_path = manifest_path.with_name(manifest["data_file"])
        key = str(data_path.relative_to(landing_dir))
        if key in loaded:
            summary.skipped += 1
            continue
        if manifest["stream"] not in streams_by_kind.get(manifest["kind"], []):
            raise ValueError(f"{manifest_path}: unknown stream {manifest['kind']}/{manifest['stream']}")
        inserted, records, quarantined = _load_file(conn, data_path, key, manifest)
        summary.files += 1
        summary.records += records
        summary.inserted += inserted
        summary.quarantined += quarantined
        table = raw_table(manifest["kind"], manifest["stream"])
        summary.by_table[table] = summary.by_table.get(table, 0) + inserted
    _mirror_cursors(conn, cursors)
    return summary


def _load_file(
    conn: duckdb.DuckDBPyConnection, data_path: Path, key: str, manifest: dict[str, Any]
) -> tuple[int, int, int]:
    source, stream, scope, run_id = manifest["source"], manifest["stream"], manifest["scope"], manifest["run_id"]
    table = raw_table(manifest["kind"], stream)
    bad_lines, clean_path = _scan(data_path)
    try:
        conn.execute("begin transaction")
        # The file's versions in file order (extracted_at); a version equal to the one before it in the
        # file collapses into it. previous_hash is that preceding version's hash (null for the first).
        records = conn.execute(
            f"""
            create or replace temp table _loader_staged as
            with lines as (
                select record_id, parent_id, payload, md5(payload::varchar) as payload_hash, extracted_at,
                       coalesce(is_deleted, false) as is_deleted
                from read_json(?, format = 'newline_delimited', columns = {_LANDING_COLUMNS})
                where record_id is not null and payload is not null
            ),
            ordered as (
                select *, lag(payload_hash) over (
                    partition by record_id order by extracted_at, payload_hash) as previous_hash
                from lines
            )
            select * from ordered where previous_hash is distinct from payload_hash
        """,
            [str(clean_path)],
        ).fetchone()[0]
        # The first version of a record in the file is compared with the latest stored version (the same
        # order as staging's dedupe), later ones with the version before them in the file; a version that
        # is already stored (same extracted_at and hash) is never added twice. Only the file's record_ids
        # are looked up, so the cost follows the file, not the table.
        inserted = conn.execute(
            f"""
            insert into {table}
            with stored as materialized (
                select r.record_id, r.payload_hash, r.extracted_at, row_number() over (
                    partition by r.record_id order by r.extracted_at desc, r.loaded_at desc, r.landing_file desc
                ) as recency
                from {table} as r
                where r.source_instance = ? and r.scope = ?
                  and r.record_id in (select record_id from _loader_staged)
            )
            select ?, ?, s.record_id, s.parent_id, s.payload, s.payload_hash, s.extracted_at, ?,
                   s.is_deleted, ?, now()
            from _loader_staged as s
            left join stored as latest on latest.record_id = s.record_id and latest.recency = 1
            where s.payload_hash is distinct from coalesce(s.previous_hash, latest.payload_hash)
              and not exists (
                  select 1 from stored as same
                  where same.record_id = s.record_id and same.extracted_at = s.extracted_at
                    and same.payload_hash = s.payload_hash)
        """,
            [source, scope, source, scope, run_id, key],
        ).fetchone()[0]
        conn.execute("drop table _loader_staged")
        for line_number, reason, raw_text in bad_lines:
            conn.execute(
                f"insert into {RAW_SCHEMA}._quarantine values (?, ?, ?, ?, ?, ?, ?, now())",
                [source, stream, scope, key, line_number, reason, raw_text],
            )
        conn.execute(
            f"insert into {RAW_SCHEMA}._loaded_files values (?, ?, ?, ?, ?, ?, ?, ?, now())",
            [key, source, stream, scope, run_id, records, inserted, len(bad_lines)],
        )
        if manifest.get("cursor") is not None:
            conn.execute(
                f"""insert or replace into {RAW_SCHEMA}._cursors values (?, ?, ?, ?, ?, now())""",
                [source, stream, scope, json.dumps(manifest["cursor"]), run_id],
            )
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    finally:
        if clean_path != data_path:
            os.unlink(clean_path)
    log.info("loaded %s: %d records, %d new rows, %d quarantined", key, records, inserted, len(bad_lines))
    return inserted, records, len(bad_lines)


def _scan(data_path: Path) -> tuple[list[tuple[int, str, str]], Path]:
    """Find lines that cannot load; if any, return a cleaned copy holding only the good lines."""
    bad: list[tuple[int, str, str]] = []
    good: list[bytes] = []
    with gzip.open(data_path, "rb") as handle:
        for number, line in enumerate(handle, start=1):
            reason = _line_problem(line)
            if reason is None:
                good.append(line)
            else:
                bad.append((number, reason[0], reason[1]))
    if not bad:
        return bad, data_path
    fd, tmp = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "wb") as out:
        out.writelines(good)
    return bad, Path(tmp)


def _line_problem(line: bytes) -> tuple[str, str] | None:
    text = line.decode("utf-8", errors="replace").rstrip("\n")
    try:
        record = json.loads(text)
    except ValueError as exc:
        return f"not valid JSON: {exc}", text
    if not isinstance(record, dict):
        return "line is not a JSON object", text
    if "quarantine_reason" in record:
        return str(record["quarantine_reason"]), str(record.get("raw", ""))
    if not record.get("record_id") or not isinstance(record.get("payload"), dict | list):
        return "missing record_id or payload", text
    return None


def _mirror_cursors(conn: duckdb.DuckDBPyConnection, cursors: CursorStore) -> None:
    """Copy committed cursors to the files extractors read (repairs a crash between commit and mirror)."""
    rows = conn.execute(f"select source_instance, stream, scope, cursor from {RAW_SCHEMA}._cursors").fetchall()
    for source, stream, scope, cursor in rows:
        value = json.loads(cursor)
        if cursors.get(source, stream, scope) != value:
            cursors.set(source, stream, scope, value)
