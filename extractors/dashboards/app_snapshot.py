"""The app's only way to the data: short read-only connections to the published snapshot.

The pipeline replaces the snapshot by an atomic rename. A connection is opened per query and closed at
once, so the app never keeps an old file alive or blocks anything; results are cached per snapshot version
(inode and mtime), so a new snapshot is read on the next rerun after the swap.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

CONFIG_ENV = "DELIVERY_CONFIG"


@dataclass(frozen=True)
class SnapshotVersion:
    inode: int
    mtime_ns: int


def snapshot_version(path: Path) -> SnapshotVersion:
    stat = os.stat(path)
    return SnapshotVersion(stat.st_ino, stat.st_mtime_ns)


def published_path_from(argv: list[str]) -> Path:
    """The snapshot of the pipeline config named by `--config PATH` or DELIVERY_CONFIG."""
    from extractors.core.config import load_config  # the config module is only needed at start-up

    config = None
    if "--config" in argv and argv.index("--config") + 1 < len(argv):
        config = argv[argv.index("--config") + 1]
    config = config or os.environ.get(CONFIG_ENV)
    if not config:
        raise SystemExit(f"no pipeline config: pass `-- --config PATH` or set {CONFIG_ENV}")
    return load_config(config).published_path


def read(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return conn.execute(sql, params or []).df()
    finally:
        conn.close()
