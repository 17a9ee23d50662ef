"""End to end through Airflow: the real DAGs run with `airflow dags test` against the simulator."""

from __future__ import annotations

import pytest

from extractors.core.config import load_config
from scripts.local_airflow import airflow_env, dags_test, init, logical_date_covering, pipeline_dag_ids
from tests.e2e.conftest import TOKEN
from tests.e2e.ground_truth import differences

pytestmark = [pytest.mark.e2e, pytest.mark.airflow]


def test_dags_equal_ground_truth(pipeline_config, sim_dir, window_end, tmp_path):
    config = load_config(pipeline_config)
    env = airflow_env(
        tmp_path / "airflow", DELIVERY_CONFIG=str(pipeline_config), DELIVERY_STATE_DIR=str(config.state_dir)
    )
    init(env)
    for dag_id in pipeline_dag_ids():
        dags_test(dag_id, logical_date_covering(window_end), env)
    assert differences(config.published_path, sim_dir / "ground_truth.json") == []
    logs = list((tmp_path / "airflow").rglob("*.log"))
    for log in logs:
        assert TOKEN not in log.read_text(errors="replace"), f"token in {log}"
