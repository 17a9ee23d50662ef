"""Shared wiring for the Delivery Warehouse DAGs: defaults, assets, config and token lookup.

No I/O at import time: the config file is read inside tasks, so the DAG processor parses these files
without secrets, network or a warehouse. The source kinds come from the registry (extractors/<kind>/).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.sdk import Asset

import extractors
from extractors.core.registry import source_kinds

DUCKDB_POOL = "duckdb_writer"  # one slot: DuckDB allows one writing process per file
START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")
DEFAULT_ARGS = {
    "owner": "data-platform",
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
}
SOURCE_KINDS = source_kinds()
RAW_ASSETS = {kind: Asset(f"delivery://raw/{kind}") for kind in SOURCE_KINDS}
MARTS_ASSET = Asset("delivery://marts")  # the published snapshot changed: what BI and consumers follow
MARTS_DIR = Path(extractors.__file__).resolve().parents[1] / "dbt_project" / "models" / "marts"


def mart_names() -> list[str]:
    """The marts, from the model files' names (cheap at parse time: no dbt parse)."""
    return sorted({path.stem for path in MARTS_DIR.rglob("*.sql")})


# One asset per mart, carrying its status in the last build (Airflow's Assets view shows it, no log needed)
MART_ASSETS = {name: Asset(f"delivery://marts/{name}") for name in mart_names()}


def config():
    from extractors.core.config import load_config

    path = os.environ.get("DELIVERY_CONFIG")
    if not path:
        raise RuntimeError("DELIVERY_CONFIG is not set: point it at the pipeline YAML")
    return load_config(path)


def token_lookup(source):
    """Airflow Connection when configured (password = token; login = the user for Basic auth),
    else the environment variable(s) the source names."""
    if source.airflow_conn_id:
        from airflow.sdk import Connection

        from extractors.core.credentials import Credentials

        connection = Connection.get(source.airflow_conn_id)
        return Credentials(token=connection.password, user=connection.login or None)
    from extractors.pipeline import env_token

    return env_token(source)


def window_end(data_interval_end, dag_run):
    """Where this run's extraction window ends: a scheduled run's data interval end; a run triggered by hand
    (Airflow 3 gives it no data interval) extracts up to the moment it was asked to run (`run_after`)."""
    if data_interval_end is not None:
        return data_interval_end
    return dag_run.run_after


def sources_of_kind(kind: str) -> list[str]:
    return [s.name for s in config().sources_of_kind(kind)]
