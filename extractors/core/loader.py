"""The loader: complete landing files into raw.<kind>__<stream>, exactly once.

It is the only DuckDB writer besides dbt. Each landing file loads in one transaction together with its
row in raw._loaded_files and the stream's cursor in raw._cursors, so a kill at any point either loads the
whole file and its cursor or nothing. Rows are record versions: a version adds a row only when its payload
differs from the record's previous version, which is the latest stored one (by extracted_at, then loaded_at)
for the record's first line in a file and the line before it in the file's order for later ones. So a
record unchanged since the last load adds no row, one that goes A -> B -> A keeps three rows with A the
latest, repeats within a file collapse, and loading the same data twice changes nothing.

Bad input never blocks the rest. The file's lines go into DuckDB as text and DuckDB itself decides, in the
same transaction, which ones it cannot store (json_valid, json_type, try_cast to timestamptz): those go to
raw._quarantine with reason, line number and text, the others load. A file that cannot be read at all
(truncated or not gzip, missing) or an unreadable manifest is set aside in raw._rejected_files and skipped
until it is replaced (or its row deleted); every other file still loads.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from extractors.core.config_tables import config_tables
from extractors.core.landing import read_manifests, remove_stale_temp_files
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
    "_rejected_files": "landing_file varchar primary key, reason varchar, rejected_at timestamptz",
    "_cursors": """source_instance varchar, stream varchar, scope varchar, cursor json, run_id varchar,
        updated_at timestamptz, primary key (source_instance, stream, scope)""",
}
# Decompressed bytes handed to DuckDB at a time: bounds the loader's Python memory whatever the file size.
_CHUNK_BYTES = 32 << 20
# The lines of one chunk of a landing file, as text, into _loader_checked. Every check is DuckDB's own
# (json_valid, json_type, try_cast), so a line is quarantined exactly when DuckDB could not store it; the
# first reason that applies is kept. Python only splits lines and marks those that are not UTF-8 ($problems).
_CHECKED_COLUMNS = """line_number bigint, reason varchar, raw_text varchar, record_id varchar, parent_id varchar,
    payload json, extracted_at timestamptz, is_deleted boolean"""
_CHECK_LINES = """
insert into _loader_checked
with split as (
    select unnest(lines) as line, generate_subscripts(lines, 1) as position
    from (select string_split($text, chr(10)) as lines)
),
parsed as (
    select $first_line + position - 1 as line_number, line,
           list_extract($problems::varchar[], list_position($problems_at::bigint[], position)) as problem,
           case when problem is null then json_valid(line) end as valid
    from split
),
typed as (
    select *, case when valid then json_type(line, ['$', '$.record_id', '$.payload', '$.is_deleted']) end as types
    from parsed
),
extracted as (
    select *, case when types[1] = 'OBJECT' then json_extract(line, ['$.record_id', '$.parent_id',
               '$.extracted_at', '$.payload', '$.is_deleted', '$.quarantine_reason', '$.raw']) end as f
    from typed
),
fields as (
    select line_number, line, problem, valid, types[1] as line_type,
           f[1] ->> '$' as record_id, types[2] as record_id_type,
           f[2] ->> '$' as parent_id,
           f[3] ->> '$' as extracted_text, try_cast(f[3] ->> '$' as timestamptz) as extracted_at,
           f[4] as payload, types[3] as payload_type,
           types[4] as is_deleted_type, f[5] ->> '$' as is_deleted_text,
           f[6] ->> '$' as quarantine_reason, f[7] ->> '$' as quarantine_raw
    from extracted
),
judged as (
    select *, case
        when problem is not null then problem
        when not valid and trim(line, ' ' || chr(9) || chr(13)) = '' then 'empty line'
        when not valid then 'not valid JSON (DuckDB json_valid is false)'
        when line_type <> 'OBJECT' then 'line is not a JSON object but ' || lower(line_type)
        when quarantine_reason is not null then quarantine_reason
        when record_id is null or record_id = '' then 'missing record_id'
        when record_id_type not in ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE')
            then 'record_id is ' || lower(record_id_type) || ', not a string or number'
        when payload_type is null or payload_type = 'NULL' then 'missing payload'
        when payload_type not in ('OBJECT', 'ARRAY')
            then 'payload is ' || lower(payload_type) || ', not a JSON object or array'
        when extracted_text is null then 'missing extracted_at'
        when extracted_at is null then 'extracted_at is not a timestamp: ' || left(extracted_text, 100)
        when is_deleted_type not in ('BOOLEAN', 'NULL') then 'is_deleted is not a boolean'
    end as reason
    from fields
)
select line_number, reason,
       case when reason is null then null
            when reason = quarantine_reason then coalesce(quarantine_raw, '') else line end as raw_text,
       case when reason is null then record_id end, case when reason is null then parent_id end,
       case when reason is null then payload end, case when reason is null then extracted_at end,
       coalesce(is_deleted_text = 'true', false) as is_deleted
from judged
"""


@dataclass
class LoadSummary:
    files: int = 0
    skipped: int = 0
    records: int = 0
    inserted: int = 0
    quarantined: int = 0
    rejected: int = 0  # landing files set aside (now or by an earlier load) and not replaced since
    by_table: dict[str, int] = field(default_factory=dict)


class UnreadableFile(Exception):
    """A landing data file the loader cannot read at all; it is set aside, not loaded."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


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
    remove_stale_temp_files(landing_dir)
    ensure_raw_tables(conn, streams_by_kind)
    summary = LoadSummary()
    loaded = {row[0] for row in conn.execute(f"select landing_file from {RAW_SCHEMA}._loaded_files").fetchall()}
    rejected: dict[str, dt.datetime | None] = dict(
        conn.execute(f"select landing_file, rejected_at from {RAW_SCHEMA}._rejected_files").fetchall()
    )
    for entry in read_manifests(landing_dir):
        manifest_key = str(entry.path.relative_to(landing_dir))
        if entry.manifest is None:
            if not _still_rejected(rejected, manifest_key, entry.path):
                _reject(conn, manifest_key, entry.error or "unreadable manifest")
            summary.rejected += 1
            continue
        manifest = entry.manifest
        data_path = entry.path.with_name(manifest["data_file"])
        key = str(data_path.relative_to(landing_dir))
        settled = [k for k in (manifest_key, key) if k in rejected]  # set aside before, readable now
        if key in loaded:
            _forget_rejections(conn, settled)
            summary.skipped += 1
            continue
        if manifest["stream"] not in streams_by_kind.get(manifest["kind"], []):
            if not _still_rejected(rejected, key, entry.path, data_path):
                _reject(conn, key, f"no registered source kind declares {manifest['kind']}/{manifest['stream']}")
            summary.rejected += 1
            continue
        if _still_rejected(rejected, key, entry.path, data_path):
            summary.rejected += 1
            continue
        try:
            inserted, records, quarantined = _load_file(conn, data_path, key, manifest, settled)
        except UnreadableFile as exc:
            _forget_rejections(conn, [k for k in settled if k != key])  # the manifest reads fine now
            _reject(conn, key, exc.reason)
            summary.rejected += 1
            continue
        summary.files += 1
        summary.records += records
        summary.inserted += inserted
        summary.quarantined += quarantined
        table = raw_table(manifest["kind"], manifest["stream"])
        summary.by_table[table] = summary.by_table.get(table, 0) + inserted
    _mirror_cursors(conn, cursors)
    return summary


def _still_rejected(rejected: dict[str, dt.datetime | None], key: str, *paths: Path) -> bool:
    """True if `key` was set aside and none of its files changed since (a replaced file is retried)."""
    if key not in rejected:
        return False
    at = rejected[key]
    rejected_at = at.timestamp() if at is not None else float("inf")  # a row without a time waits for deletion
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        if max(info.st_mtime, info.st_ctime) > rejected_at:
            return False
    log.warning("landing file %s is still set aside (see raw._rejected_files); replace or remove it", key)
    return True


def _reject(conn: duckdb.DuckDBPyConnection, key: str, reason: str) -> None:
    conn.execute(
        f"insert or replace into {RAW_SCHEMA}._rejected_files values (?, ?, ?)",
        [key, reason, dt.datetime.now(dt.UTC)],
    )
    log.error("set aside landing file %s: %s (the other files still load; replace or remove it)", key, reason)


def _forget_rejections(conn: duckdb.DuckDBPyConnection, keys: list[str]) -> None:
    for key in keys:
        conn.execute(f"delete from {RAW_SCHEMA}._rejected_files where landing_file = ?", [key])


def _load_file(
    conn: duckdb.DuckDBPyConnection, data_path: Path, key: str, manifest: dict[str, Any], settled: list[str]
) -> tuple[int, int, int]:
    source, stream, scope, run_id = manifest["source"], manifest["stream"], manifest["scope"], manifest["run_id"]
    table = raw_table(manifest["kind"], stream)
    try:
        conn.execute("begin transaction")
        _check_lines(conn, data_path)
        quarantined = conn.execute(
            f"""insert into {RAW_SCHEMA}._quarantine
                select ?, ?, ?, ?, line_number, reason, raw_text, now() from _loader_checked
                where reason is not null order by line_number""",
            [source, stream, scope, key],
        ).fetchone()[0]
        # The file's versions in file order (extracted_at); a version equal to the one before it in the
        # file collapses into it. previous_hash is that preceding version's hash (null for the first).
        records = conn.execute(
            """
            create or replace temp table _loader_staged as
            with lines as (
                select record_id, parent_id, payload, md5(payload::varchar) as payload_hash, extracted_at,
                       is_deleted
                from _loader_checked
                where reason is null
            ),
            ordered as (
                select *, lag(payload_hash) over (
                    partition by record_id order by extracted_at, payload_hash) as previous_hash
                from lines
            )
            select * from ordered where previous_hash is distinct from payload_hash
        """
        ).fetchone()[0]
        conn.execute("drop table _loader_checked")
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
        conn.execute(
            f"insert into {RAW_SCHEMA}._loaded_files values (?, ?, ?, ?, ?, ?, ?, ?, now())",
            [key, source, stream, scope, run_id, records, inserted, quarantined],
        )
        if manifest.get("cursor") is not None:
            conn.execute(
                f"""insert or replace into {RAW_SCHEMA}._cursors values (?, ?, ?, ?, ?, now())""",
                [source, stream, scope, json.dumps(manifest["cursor"]), run_id],
            )
        _forget_rejections(conn, settled)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    log.info("loaded %s: %d records, %d new rows, %d quarantined", key, records, inserted, quarantined)
    return inserted, records, quarantined


def _check_lines(conn: duckdb.DuckDBPyConnection, data_path: Path) -> None:
    """Every line of the file, numbered from 1 and checked by DuckDB, into temp table _loader_checked.

    Python only decompresses (in chunks, so memory stays bounded) and splits on newlines; a line that is
    not UTF-8, which DuckDB cannot hold as text, goes in with replacement characters and that problem noted.
    A file that cannot be read raises UnreadableFile naming the file.
    """
    conn.execute(f"create or replace temp table _loader_checked ({_CHECKED_COLUMNS})")
    next_line, rest = 1, b""
    try:
        if data_path.stat().st_size == 0:
            raise UnreadableFile(data_path, "empty file, not gzip data")
        with gzip.open(data_path, "rb") as handle:
            while block := handle.read(_CHUNK_BYTES):
                data = rest + block
                cut = data.rfind(b"\n")
                if cut < 0:
                    rest = data
                    continue
                next_line = _check_chunk(conn, data[:cut], next_line)
                rest = data[cut + 1 :]
    except FileNotFoundError as exc:
        raise UnreadableFile(data_path, "data file missing (its manifest names it)") from exc
    except EOFError as exc:
        raise UnreadableFile(data_path, f"truncated gzip data ({exc})") from exc
    except gzip.BadGzipFile as exc:
        raise UnreadableFile(data_path, f"not gzip data ({exc})") from exc
    except (OSError, zlib.error) as exc:
        raise UnreadableFile(data_path, f"unreadable ({type(exc).__name__}: {exc})") from exc
    if rest:  # a last line without its newline
        _check_chunk(conn, rest, next_line)


def _check_chunk(conn: duckdb.DuckDBPyConnection, chunk: bytes, first_line: int) -> int:
    """Check the newline-separated lines of `chunk`, numbered from `first_line`; return the next number."""
    problems: list[str] = []
    problems_at: list[int] = []  # positions in the chunk, from 1
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        for position, line in enumerate(chunk.split(b"\n"), start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                problems.append(f"invalid UTF-8 ({exc.reason} at byte {exc.start})")
                problems_at.append(position)
        text = chunk.decode("utf-8", errors="replace")  # a replacement never adds or removes a newline
    conn.execute(
        _CHECK_LINES,
        {"text": text, "first_line": first_line, "problems": problems, "problems_at": problems_at},
    )
    return first_line + chunk.count(b"\n") + 1


def _mirror_cursors(conn: duckdb.DuckDBPyConnection, cursors: CursorStore) -> None:
    """Copy committed cursors to the files extractors read (repairs a crash between commit and mirror)."""
    rows = conn.execute(f"select source_instance, stream, scope, cursor from {RAW_SCHEMA}._cursors").fetchall()
    for source, stream, scope, cursor in rows:
        value = json.loads(cursor)
        if cursors.get(source, stream, scope) != value:
            cursors.set(source, stream, scope, value)
