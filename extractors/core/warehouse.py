"""The live DuckDB warehouse (one writer at a time) and the read-only snapshot BI reads."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from extractors.core.errors import WarehouseError
from extractors.core.processes import process_alive, process_command

log = logging.getLogger(__name__)

# DuckDB 1.x readers (BI drivers, users' CLIs) must open the snapshot whatever wrote it.
SNAPSHOT_STORAGE_VERSION = "v1.0.0"
# A snapshot temp file untouched this long is a leftover even if a process with its pid is alive here.
STALE_SNAPSHOT_SECONDS = 3600.0
_LOCK_HOLDER = re.compile(r"Conflicting lock is held in (?P<program>.*) \(PID (?P<pid>\d+)\)")


@contextlib.contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        raise _open_error(path, exc) from exc
    try:
        yield conn
    finally:
        conn.close()


def check_warehouse_opens(path: Path) -> None:
    """Fail now, with the holder's name, rather than minutes into a dbt build that cannot open the file."""
    if path.exists():
        with connect(path):
            pass


def _open_error(path: Path, exc: duckdb.IOException) -> WarehouseError:
    holder = _LOCK_HOLDER.search(str(exc))
    if holder is None:
        return WarehouseError(f"cannot open the warehouse {path}: {exc}")
    pid = int(holder["pid"])
    command = process_command(pid) or holder["program"]
    return WarehouseError(
        f"the warehouse {path} is locked by process {pid} ({command}). Another load or transform may still "
        f"be running, or a DuckDB CLI or BI tool has the live file open (BI should read the published "
        f"snapshot). Wait for it to finish, or stop it (`kill {pid}`) if it is stuck, then re-run."
    )


def publish_snapshot(live: Path, published: Path) -> Path:
    """Copy the whole warehouse into a new file and swap it in with one atomic rename.

    Readers that hold the old snapshot keep reading it; the live file is never opened by BI, so BI
    never blocks the writer.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    remove_snapshot_leftovers(published)
    conn = duckdb.connect()  # in-memory: attaches the live file read-only and the new snapshot read-write
    try:
        conn.execute(f"attach '{live}' as live (read_only)")
        conn.execute(f"attach '{tmp}' as snapshot (storage_version '{SNAPSHOT_STORAGE_VERSION}')")
        conn.execute("copy from database live to snapshot")
        conn.execute("detach snapshot")
        conn.execute("detach live")
    finally:
        conn.close()
    os.replace(tmp, published)
    return published


def remove_snapshot_leftovers(published: Path, older_than: float = STALE_SNAPSHOT_SECONDS) -> list[Path]:
    """Remove `.<name>.<pid>.tmp` (+ `.wal`) files that killed publishes left beside `published`.

    A leftover is removed when it is this process's own, when no process with its pid runs on this host,
    or when it is untouched for `older_than` seconds (a recycled pid); a publish running right now keeps
    its file. Publishing to one path happens on one host (the single-writer rule), so a pid is meaningful.
    """
    removed = []
    cutoff = time.time() - older_than
    prefix = f".{published.name}."
    for path in published.parent.glob(f"{prefix}*.tmp*"):
        pid_text, _, suffix = path.name[len(prefix) :].partition(".")
        if suffix not in ("tmp", "tmp.wal") or not pid_text.isdigit():
            continue
        try:
            if int(pid_text) == os.getpid() or not process_alive(int(pid_text)) or path.stat().st_mtime < cutoff:
                path.unlink()
                removed.append(path)
        except FileNotFoundError:
            continue
    for path in removed:
        log.info("removed snapshot leftover %s", path)
    return removed
