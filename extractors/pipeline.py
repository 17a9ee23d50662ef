"""The pipeline's steps as plain functions: the Airflow DAGs and the `delivery` CLI both call these.

extract (per source, per scope; parallel-safe, writes only landing files) -> load (the DuckDB writer)
-> transform (dbt build) -> publish (snapshot for BI).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.core.config import Config, ConfigError
from extractors.core.config_tables import replace_config_tables
from extractors.core.credentials import Credentials
from extractors.core.errors import ExtractError
from extractors.core.loader import LoadSummary, load_landing
from extractors.core.registry import source_kind, streams_by_kind
from extractors.core.settings import BasicAuthSettings, HttpSourceSettings, SourceSettings
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.core.warehouse import check_warehouse_opens, connect, publish_snapshot
from extractors.dbt_results import StreamFreshness, read_freshness
from extractors.dbt_runner import dbt_command, dbt_env, failure_message, metrics_vars, run_dbt

log = logging.getLogger(__name__)
# A token lookup returns the token, or Credentials (token and user) as an Airflow Connection holds them.
TokenLookup = Callable[[HttpSourceSettings], "str | Credentials | None"]


def env_token(source: HttpSourceSettings) -> str | None:
    """Read a source's token from the environment variable the config names (never from the file)."""
    if not source.token_env:
        raise ConfigError(
            f"source {source.name}: no token_env configured (set token_env, or run under Airflow with airflow_conn_id)"
        )
    token = os.environ.get(source.token_env)
    if not token:
        raise ConfigError(f"source {source.name}: environment variable {source.token_env} is not set or empty")
    return token


def credentials(source: SourceSettings, token_lookup: TokenLookup) -> Credentials:
    """The token from the lookup; a Basic-auth user from the lookup (Connection login) or `user_env`.
    A source read without HTTP (a local repository) has none."""
    if not isinstance(source, HttpSourceSettings):
        return Credentials(token=None)
    found = token_lookup(source)
    creds = found if isinstance(found, Credentials) else Credentials(token=found)
    if creds.user or not isinstance(source, BasicAuthSettings) or not source.user_env:
        return creds
    user = os.environ.get(source.user_env)
    if not user:
        raise ConfigError(f"source {source.name}: environment variable {source.user_env} (user_env) is not set")
    return Credentials(token=creds.token, user=user)


def new_run_id(prefix: str = "cli") -> str:
    return f"{prefix}__{dt.datetime.now(dt.UTC).strftime('%Y%m%dT%H%M%S%fZ')}"


def _context(config: Config, source: SourceSettings, window_end: dt.datetime, run_id: str) -> RunContext:
    return RunContext(
        source=source.name,
        kind=source.kind,
        run_id=run_id,
        window_end=window_end,
        landing_dir=config.landing_dir,
        cursors=CursorStore(config.cursor_dir),
        start_date=source.start_date,
        lookback=dt.timedelta(minutes=source.lookback_minutes),
        team_keys=tuple(team.key for team in config.teams),
    )


def plan_scopes(
    config: Config, source_name: str, window_end: dt.datetime, run_id: str, token_lookup: TokenLookup = env_token
) -> list[str]:
    """The scopes one extract task each will handle (repositories, projects, an account ...), as the source's
    kind plans them; site-wide lists are landed here, once per run."""
    source = config.source(source_name)
    ctx = _context(config, source, window_end, run_id)
    with _named(source, "planning its scopes"):
        return source_kind(source.kind).plan(source, ctx, credentials(source, token_lookup))


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
    with _named(source, f"scope {scope}"):
        records, requests = source_kind(source.kind).extract(source, ctx, scope, credentials(source, token_lookup))
    return ExtractResult(source.name, scope, records, requests, time.monotonic() - started)


@contextlib.contextmanager
def _named(source: SourceSettings, what: str) -> Iterator[None]:
    """An extraction error says which source and scope it came from (the URL is in the message already)."""
    try:
        yield
    except ExtractError as exc:
        raise ExtractError(f"source {source.name} ({source.kind}), {what}: {exc}", status=exc.status) from None


@dataclass
class ExtractReport:
    results: list[ExtractResult] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # one message per scope (or plan) that failed


def extract_sources(
    config: Config,
    source_names: list[str],
    window_end: dt.datetime,
    run_id: str,
    scope: str | None = None,
    token_lookup: TokenLookup = env_token,
) -> ExtractReport:
    """Every scope of every named source; a failing scope is reported and the others still run."""
    report = ExtractReport()
    for name in source_names:
        try:
            scopes = [scope] if scope else plan_scopes(config, name, window_end, run_id, token_lookup)
        except (ConfigError, ExtractError) as exc:
            report.failures.append(str(exc))
            continue
        for each in scopes:
            try:
                report.results.append(extract_scope(config, name, each, window_end, run_id, token_lookup))
            except (ConfigError, ExtractError) as exc:
                report.failures.append(str(exc))
            except Exception as exc:  # an extractor bug: still run the other scopes, keep the evidence
                log.exception("source %s scope %s failed unexpectedly", name, each)
                report.failures.append(f"source {name}, scope {each}: unexpected {type(exc).__name__}: {exc}")
    return report


def load(config: Config) -> LoadSummary:
    with connect(config.duckdb_path) as conn:
        summary = load_landing(conn, config.landing_dir, CursorStore(config.cursor_dir), streams_by_kind())
        replace_config_tables(conn, config)
    return summary


def dbt_build_command(config: Config, *dbt_args: str) -> list[str]:
    """`dbt build`, with the config's `metrics:` section as --vars (over the defaults in dbt_project.yml)."""
    return dbt_command("build", *metrics_vars(config), *dbt_args)


def dbt_target_path(config: Config) -> Path:
    """Where `dbt build` writes its artifacts (run_results.json tells each mart's status)."""
    return config.state_dir / "dbt" / "target"


def freshness_vars(config: Config) -> dict[str, Any]:
    """The config's `freshness:` thresholds and which source instances each kind has, as dbt vars."""
    instances: dict[str, list[str]] = {}
    for source in config.sources:
        instances.setdefault(source.kind, []).append(source.name)
    return {**config.freshness.dbt_vars(), "raw_source_instances": instances}


def freshness_selection(config: Config) -> list[str]:
    """The raw streams to check: those a configured source instance has landed at least once. A stream the
    config does not extract (a kind without sources, a GitHub stream switched off) has nothing to be fresh."""
    kinds = {source.name: source.kind for source in config.sources}
    with connect(config.duckdb_path, read_only=True) as conn:
        landed = conn.execute("select distinct source_instance, stream from raw._loaded_files").fetchall()
    return sorted({f"source:{kinds[name]}.{kinds[name]}__{stream}" for name, stream in landed if name in kinds})


def source_freshness(config: Config) -> list[StreamFreshness]:
    """`dbt source freshness` of every stream the config lands (METRICS.md "Data freshness"); one result each.
    Stale streams come back with status warn or error; only dbt failing to check at all raises."""
    if not config.duckdb_path.is_file():
        return []  # nothing loaded yet
    check_warehouse_opens(config.duckdb_path)
    selection = freshness_selection(config)
    if not selection:
        return []
    # its own target path: other vars than `dbt build`'s, so the two do not undo each other's partial parse
    target = config.state_dir / "dbt" / "freshness"
    output = target / "sources.json"
    command = dbt_command(
        "source", "freshness", "--vars", json.dumps(freshness_vars(config), sort_keys=True),
        "--select", *selection, "--output", str(output),
    )  # fmt: skip
    output.unlink(missing_ok=True)
    env = dbt_env(config, target)
    result = run_dbt(command, env)
    if not output.is_file():
        raise failure_message("dbt source freshness (before it checked any stream)", result, env)
    return read_freshness(output)


def transform(config: Config, *dbt_args: str) -> None:
    """`dbt build` the whole project against the live warehouse (fails loudly on any failed test)."""
    check_warehouse_opens(config.duckdb_path)
    env = dbt_env(config, dbt_target_path(config))
    result = run_dbt(dbt_build_command(config, *dbt_args), env)
    if result.returncode != 0:
        raise failure_message("dbt build", result, env)
    log.info("dbt build: %s", result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "ok")


def publish(config: Config) -> Path:
    return publish_snapshot(config.duckdb_path, config.published_path)
