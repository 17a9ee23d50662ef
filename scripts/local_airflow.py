"""Run the project's DAGs on a local Airflow (SQLite metadata under .state/airflow) with `airflow dags test`."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

from extractors.core.registry import source_kinds

PROJECT_DIR = Path(__file__).resolve().parents[1]
AIRFLOW = Path(sys.executable).with_name("airflow")


def pipeline_dag_ids() -> tuple[str, ...]:
    """Every registered kind's extract DAG, then transform: one pass of the whole pipeline."""
    return (*(f"extract_{name}" for name in source_kinds()), "transform")


def airflow_env(airflow_home: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(PROJECT_DIR / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "PYTHONPATH": str(PROJECT_DIR),
        **extra,
    }


def logical_date_covering(window_end: str) -> str:
    """A logical date whose daily data interval ends after `window_end` (the DAGs run at 03:00-03:30 UTC)."""
    moment = dt.datetime.fromisoformat(window_end.replace("Z", "+00:00")) + dt.timedelta(days=1)
    return moment.isoformat()


def init(env: dict[str, str]) -> None:
    """Create or upgrade the SQLite metadata DB and the one-slot DuckDB writer pool (both idempotent)."""
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    _run([str(AIRFLOW), "db", "migrate"], env)
    _run([str(AIRFLOW), "pools", "set", "duckdb_writer", "1", "one DuckDB writer at a time"], env)


def dags_test(dag_id: str, logical_date: str, env: dict[str, str]) -> str:
    """`airflow dags test`: a real DAG run in one process; raises with the log tail when any task fails."""
    result = subprocess.run(
        [str(AIRFLOW), "dags", "test", dag_id, logical_date], env=env, capture_output=True, text=True, check=False
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 or "state=failed" in output or "DagRunState.FAILED" in output:
        raise RuntimeError(f"airflow dags test {dag_id} {logical_date} failed:\n{output[-6000:]}")
    return output


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
