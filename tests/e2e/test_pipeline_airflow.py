"""End to end through Airflow: the real DAGs run with `airflow dags test` against the simulator."""

from __future__ import annotations

import datetime as dt

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
