"""The live DuckDB warehouse (one writer at a time) and the read-only snapshot BI reads."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb

# DuckDB 1.x readers (BI drivers, users' CLIs) must open the snapshot whatever wrote it.
SNAPSHOT_STORAGE_VERSION = "v1.0.0"


@contextlib.contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = duckdb.connect(str(path), read_only=read_only)
    try:
        yield conn
    finally:
        conn.close()


def publish_snapshot(live: Path, published: Path) -> Path:
    """Copy the whole warehouse into a new file and swap it in with one atomic rename.

    Readers that hold the old snapshot keep reading it; the live file is never opened by BI, so BI
    never blocks the writer.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    tmp = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
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
