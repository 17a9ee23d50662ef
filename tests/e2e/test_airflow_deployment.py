"""The DAGs on a real Airflow 3 deployment, the shape of docker-compose.yml without Docker: PostgreSQL metadata,
LocalExecutor, api-server, scheduler, dag-processor and triggerer as separate processes.

A run with a data interval (a logical date) per extract DAG, then a run of extract_github triggered by hand
without a logical date (the UI's Trigger button: Airflow 3 gives it no data interval), then the asset-triggered
transform; every run succeeds and the published marts equal the simulator's ground truth.
"""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from extractors.core.config import load_config
from scripts.airflow_deployment import AirflowDeployment, postgres_available
from scripts.local_airflow import logical_date_covering, pipeline_dag_ids
from simulator import SIM_TOKEN, SimServer, generate, sim_credentials, write_pipeline_config
from tests.e2e.ground_truth import differences

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.airflow,
    pytest.mark.skipif(postgres_available() is not None, reason=postgres_available() or ""),
]
# seconds, the whole test: a hang guard (each extract run, scheduled or triggered, queues a transform run)
TIME_LIMIT = 1500  # about 6 min here: a hang must leave the CI run inside its 90 min
MANUAL_DAG = "extract_github"


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_scheduled_and_manual_runs_on_a_deployment(tmp_path, monkeypatch):
    started = time.monotonic()
    monkeypatch.setenv("DELIVERY_STATE_DIR", str(tmp_path / "data"))
    sim_dir = generate(profile="tiny", seed=7, out_dir=tmp_path / "sim")
    window_end = json.loads((sim_dir / "org.json").read_text())["window"]["end"]
    dag_ids = pipeline_dag_ids()
    extract_dags = [d for d in dag_ids if d != "transform"]
    with SimServer(sim_dir, token=SIM_TOKEN) as server:
        config_path = tmp_path / "config.yml"
        config_path.write_text(write_pipeline_config(sim_dir, base_url=server.base_url).read_text())
        env = {"DELIVERY_CONFIG": str(config_path), "DELIVERY_STATE_DIR": str(tmp_path / "data"), **sim_credentials()}
        with AirflowDeployment(tmp_path / "deployment", env) as airflow:
            airflow.wait_for_dags(dag_ids)
            for dag_id in dag_ids:
                airflow.unpause(dag_id)
            # Airflow 3.3.2's CLI infers the interval from the trigger time, not the logical date (the REST API and
            # the UI use the logical date): either way it ends after the org's window.
            scheduled = {d: airflow.trigger(d, logical_date_covering(window_end)) for d in extract_dags}
            manual = airflow.trigger(MANUAL_DAG)  # no logical date, so no data interval

            def transform_after_loads(runs):  # every load's data reached a successful dbt build
                # Not "every asset event was consumed": Airflow 3.3.2 attaches to a triggered run only the events
                # up to its first queued asset's time, so a second load of the same asset queued before the run was
                # created stays unattached for good, although that run builds its data. Nor run times: the
                # scheduler may start the transform before it marks the extract run done. Task start times decide.
                loads = [_time(e["timestamp"]) for e in airflow.asset_events() if e["source_dag_id"] in extract_dags]
                builds = [
                    _time(ti["start_date"])
                    for run in runs["transform"]
                    if run["state"] == "success"
                    for ti in airflow.task_instances("transform", run["dag_run_id"])
                    if ti["task_id"] == "dbt_build"
                ]
                every_load_emitted = len(loads) == sum(len(runs[d]) for d in extract_dags)
                return every_load_emitted and bool(builds) and max(loads) <= max(builds)

            remaining = TIME_LIMIT - (time.monotonic() - started)
            runs = airflow.wait_until_settled(dag_ids, timeout=remaining, ready=transform_after_loads)
            manual_tis = airflow.task_instances(MANUAL_DAG, manual)

    states = {d: {r["dag_run_id"]: (r["run_type"], r["state"]) for r in rs} for d, rs in runs.items()}
    print(json.dumps({d: {r["dag_run_id"]: [r["run_type"], r["state"], r["data_interval_end"]] for r in rs}
                      for d, rs in runs.items()}, indent=1))  # fmt: skip
    assert all(state == "success" for rs in states.values() for _, state in rs.values()), states
    for dag_id, run_id in scheduled.items():  # a logical date gives the run a data interval that covers the org
        run = next(r for r in runs[dag_id] if r["dag_run_id"] == run_id)
        assert run["state"] == "success" and run["data_interval_end"] > window_end, run
    manual_run = next(r for r in runs[MANUAL_DAG] if r["dag_run_id"] == manual)
    assert manual_run["state"] == "success"
    assert manual_run["logical_date"] is None and manual_run["data_interval_end"] is None
    extract_tis = [ti for ti in manual_tis if ti["task_id"] == "extract"]
    assert extract_tis and all(ti["map_index"] >= 0 and ti["state"] == "success" for ti in extract_tis), manual_tis
    assert {ti["task_id"] for ti in manual_tis} == {"plan", "extract", "load"}
    assert runs["transform"] and all(r["run_type"] == "asset_triggered" for r in runs["transform"])
    published = load_config(config_path).published_path
    assert published.exists()
    assert differences(published, sim_dir / "ground_truth.json") == []
    assert airflow.leftover_processes() == []
    assert airflow.stragglers_killed == []
