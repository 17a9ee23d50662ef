"""The pipeline's steps as plain functions: the Airflow DAGs and the `delivery` CLI both call these.

extract (per source, per scope; parallel-safe, writes only landing files) -> load (the DuckDB writer)
-> transform (dbt build) -> publish (snapshot for BI).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors import git, github
from extractors.core.config import Config, ConfigError, SourceConfig
from extractors.core.config_tables import replace_config_tables
from extractors.core.loader import LoadSummary, load_landing
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.core.warehouse import connect, publish_snapshot
from extractors.registry import STREAMS_BY_KIND

log = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_DIR / "dbt_project"
TokenLookup = Callable[[SourceConfig], str | None]


def env_token(source: SourceConfig) -> str | None:
    """Read a source's token from the environment variable the config names (never from the file)."""
    if source.kind == "git":
        return None
    if not source.token_env:
        raise ConfigError(
            f"source {source.name}: no token_env configured (set token_env, or run under Airflow with airflow_conn_id)"
        )
    token = os.environ.get(source.token_env)
    if not token:
        raise ConfigError(f"source {source.name}: environment variable {source.token_env} is not set or empty")
    return token


def new_run_id(prefix: str = "cli") -> str:
    return f"{prefix}__{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S%fZ')}"


def _context(config: Config, source: SourceConfig, window_end: dt.datetime, run_id: str) -> RunContext:
    return RunContext(
        source=source.name,
        kind=source.kind,
        run_id=run_id,
        window_end=window_end,
        landing_dir=config.landing_dir,
        cursors=CursorStore(config.cursor_dir),
        start_date=source.start_date,
        lookback=dt.timedelta(minutes=source.lookback_minutes),
    )


def plan_scopes(
    config: Config, source_name: str, window_end: dt.datetime, run_id: str, token_lookup: TokenLookup = env_token
) -> list[str]:
    """The scopes one extract task each will handle: repositories for GitHub (orgs are listed now,
    which also lands the repositories stream), configured repository names for git."""
    source = config.source(source_name)
    if source.kind == "git":
        return [scope.repository for scope in source.scopes]
    ctx = _context(config, source, window_end, run_id)
    repos: set[str] = set()
    with github.source.make_session(source.base_url, token_lookup(source)) as session:
        for scope in source.scopes:
            if scope.org:
                repos.update(github.discover_repositories(session, ctx, scope.org, source.page_size))
            else:
                github.source.land_repository(session, ctx, scope.repo)
                repos.add(scope.repo)
    return sorted(repos)


@dataclass
class ExtractResult:
    source: str
    scope: str
    records: dict[str, int]
    requests: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "scope": self.scope,
            "records": self.records,
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
        }


def extract_scope(
    config: Config,
    source_name: str,
    scope: str,
    window_end: dt.datetime,
    run_id: str,
    token_lookup: TokenLookup = env_token,
) -> ExtractResult:
    source = config.source(source_name)
    ctx = _context(config, source, window_end, run_id)
    started = time.monotonic()
    if source.kind == "git":
        match = next((s for s in source.scopes if s.repository == scope), None)
        if match is None:
            raise ConfigError(f"source {source.name}: no git scope for repository {scope!r}")
        records = {"commits": git.extract_git_repository(ctx, match.path, match.repository, match.refs)}
        return ExtractResult(source.name, scope, records, 0, time.monotonic() - started)
    with github.source.make_session(source.base_url, token_lookup(source)) as session:
        records = github.extract_repository(session, ctx, scope, source.page_size, source.streams)
        requests = session.counter.requests
    return ExtractResult(source.name, scope, records, requests, time.monotonic() - started)


def extract_source(
    config: Config, source_name: str, window_end: dt.datetime, run_id: str, token_lookup: TokenLookup = env_token
) -> list[ExtractResult]:
    scopes = plan_scopes(config, source_name, window_end, run_id, token_lookup)
    return [extract_scope(config, source_name, scope, window_end, run_id, token_lookup) for scope in scopes]


def load(config: Config) -> LoadSummary:
    with connect(config.duckdb_path) as conn:
        summary = load_landing(conn, config.landing_dir, CursorStore(config.cursor_dir), STREAMS_BY_KIND)
        replace_config_tables(conn, config)
    return summary


def dbt_command(*args: str) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [str(dbt), *args, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]


def transform(config: Config, *dbt_args: str) -> None:
    """`dbt build` the whole project against the live warehouse (fails loudly on any failed test)."""
    env = {
        **os.environ,
        "DELIVERY_DUCKDB_PATH": str(config.duckdb_path),
        "DBT_TARGET_PATH": str(config.state_dir / "dbt" / "target"),
        "DBT_LOG_PATH": str(config.state_dir / "dbt" / "logs"),
    }
    command = dbt_command("build", *dbt_args)
    result = subprocess.run(command, env=env, cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"dbt build failed (exit {result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}"
        )
    log.info("dbt build: %s", result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "ok")


def publish(config: Config) -> Path:
    return publish_snapshot(config.duckdb_path, config.published_path)
