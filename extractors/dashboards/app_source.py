"""One snapshot version's data for the app: cached query results keyed by (file, inode, mtime)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from extractors.dashboards import queries
from extractors.dashboards.app_snapshot import SnapshotVersion, read


@st.cache_data(max_entries=512, show_spinner=False)
def _cached(path: str, version: SnapshotVersion, sql: str, params: tuple) -> pd.DataFrame:
    del version  # part of the cache key only: a swapped snapshot is a new version
    return read(Path(path), sql, list(params))


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_named(path: str, version: SnapshotVersion, name: str) -> pd.DataFrame:
    del version
    return read(Path(path), queries.QUERIES[name].sql)


@dataclass(frozen=True)
class Source:
    path: Path
    version: SnapshotVersion

    def query(self, sql: str, params: list | tuple = ()) -> pd.DataFrame:
        return _cached(str(self.path), self.version, sql, tuple(params)).copy()

    def named(self, name: str) -> pd.DataFrame:
        """One of the ready-made dashboard queries (extractors/dashboards/queries.py), all its rows."""
        return _cached_named(str(self.path), self.version, name).copy()

    def team_names(self) -> dict[str, str]:
        teams = self.named("team_verdicts")
        return dict(zip(teams["team_key"], teams["team_name"], strict=True))

    def repositories(self) -> dict[str, str]:
        """repository -> its team, for the repositories any fact names."""
        rows = self.query(
            "select repository, any_value(team_key) as team_key from ("
            " select repository, team_key from marts.fct_deployments"
            " union all select repository, team_key from marts.fct_changes"
            " union all select repository, team_key from marts.fct_incidents"
            ") where repository is not null and team_key is not null group by repository"
        )
        return dict(zip(rows["repository"], rows["team_key"], strict=True))

    def weeks(self) -> list[dt.date]:
        weeks = sorted(set(self.named("dora_weekly")["week_start"]))
        return [value.date() if hasattr(value, "date") else value for value in weeks]

    def last_extracted(self) -> tuple[object, int]:
        """The newest extracted_at of any raw stream, and how many raw streams the snapshot holds."""
        tables = self.query(
            "select table_name from information_schema.columns where table_schema = 'raw'"
            " and column_name = 'extracted_at' order by table_name"
        )["table_name"].tolist()
        if not tables:
            return None, 0
        union = " union all ".join(f'select max(extracted_at) as newest from raw."{name}"' for name in tables)
        return self.query(f"select max(newest) as newest from ({union})")["newest"].iloc[0], len(tables)
