"""End to end through Airflow: the real DAGs run with `airflow dags test` against the simulator."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import duckdb
import pytest

from extractors.core.config import load_config
from scripts.local_airflow import airflow_env, dags_test, init, logical_date_covering, pipeline_dag_ids
from tests.e2e.conftest import TOKEN
from tests.e2e.ground_truth import differences
from tests.webhook_receiver import WebhookReceiver

pytestmark = [pytest.mark.e2e, pytest.mark.airflow]


def test_dags_equal_ground_truth_and_alerts_reach_the_webhook_once(pipeline_config, sim_dir, window_end, tmp_path):
    config = load_config(pipeline_config)
    with WebhookReceiver() as hook:
        env = airflow_env(
            tmp_path / "airflow",
            DELIVERY_CONFIG=str(pipeline_config),
            DELIVERY_STATE_DIR=str(config.state_dir),
            AIRFLOW_CONN_DELIVERY_ALERTS_WEBHOOK=hook.url,
        )
        init(env)
        outputs = {dag_id: dags_test(dag_id, logical_date_covering(window_end), env) for dag_id in pipeline_dag_ids()}
        assert differences(config.published_path, sim_dir / "ground_truth.json") == []
        with duckdb.connect(str(config.published_path), read_only=True) as conn:
            alert_ids = [row[0] for row in conn.execute("select alert_id from marts.alerts order by 1").fetchall()]
        assert alert_ids and hook.alert_ids == alert_ids
        # the transform runs again on the same data: the same week's alerts are not sent again
        rerun = dt.datetime.fromisoformat(logical_date_covering(window_end)) + dt.timedelta(hours=12)
        rerun_output = dags_test("transform", rerun.isoformat(), env)
        assert hook.alert_ids == alert_ids
    # `airflow dags test` writes the task logs to its output (test_canary.py scans every file and table too)
    assert "ALERT (" in outputs["transform"] and "ALERT (" not in rerun_output
    assert not any(TOKEN in output for output in [*outputs.values(), rerun_output])
    check_freshness_and_mart_status(tmp_path / "airflow" / "airflow.db", config.published_path)
    # the readers after publish: the HTML report and the dbt docs of the snapshot, beside it
    assert (config.published_path.parent / "delivery-report.html").is_file()
    assert (config.published_path.parent / "docs" / "catalog.json").is_file()


def check_freshness_and_mart_status(metadata_db: Path, published: Path) -> None:
    """What the data team sees in Airflow, read from its metadata DB: the freshness task passed every stream
    (the demo's event times are months old, but the pipeline loaded every stream just now), and every mart's
    asset carries its status and row count from the last build."""
    with sqlite3.connect(metadata_db) as airflow_db:
        freshness = airflow_db.execute(
            "select ti.state, x.value from task_instance as ti join xcom as x using (dag_id, run_id, task_id) "
            "where ti.dag_id = 'transform' and ti.task_id = 'source_freshness' and x.key = 'return_value'"
        ).fetchall()
        latest_events = airflow_db.execute(
            "select a.uri, e.extra from asset_event as e join asset as a on a.id = e.asset_id "
            "where a.uri like 'delivery://marts/_%' and e.id = (select max(id) from asset_event where asset_id = a.id)"
        ).fetchall()
    assert len(freshness) == 2  # the pipeline pass and the re-run
    for state, value in freshness:
        statuses = json.loads(value)
        assert state == "success" and {"github__pull_requests", "jira__issues", "git__commits"} <= set(statuses)
        assert set(statuses.values()) == {"pass"}, statuses
    marts = {path.stem for path in (Path(__file__).parents[2] / "dbt_project/models/marts").rglob("*.sql")}
    events = {uri.removeprefix("delivery://marts/"): json.loads(extra) for uri, extra in latest_events}
    assert set(events) == marts
    with duckdb.connect(str(published), read_only=True) as conn:
        for mart, extra in events.items():
            assert extra["status"] == "success" and extra["published"] is True, (mart, extra)
            assert extra["rows"] == conn.execute(f'select count(*) from marts."{mart}"').fetchone()[0], mart
