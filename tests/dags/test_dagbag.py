"""DAG integrity: every DAG imports without secrets or config, has tags, retries and a data-interval timetable."""

from __future__ import annotations

import sys

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.timetables.interval import CronDataIntervalTimetable

from tests.conftest import PROJECT_DIR

DAGS_DIR = PROJECT_DIR / "dags"
EXTRACT_DAGS = tuple(f"extract_{kind}" for kind in ("business", "events", "github", "git", "jira", "pagerduty"))


@pytest.fixture(scope="module")
def dagbag():
    sys.path.insert(0, str(DAGS_DIR))  # what Airflow itself does for the DAGs folder
    try:
        return DagBag(dag_folder=str(DAGS_DIR))
    finally:
        sys.path.remove(str(DAGS_DIR))


def test_no_import_errors_without_any_secret_or_config(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {*EXTRACT_DAGS, "transform"}


def test_every_dag_has_tags_retries_and_docs(dagbag):
    for dag in dagbag.dags.values():
        assert "delivery" in dag.tags
        assert dag.doc_md
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag.dag_id}.{task.task_id} has no retries"


def test_extract_dags_use_data_intervals_not_bare_cron(dagbag):
    for dag_id in EXTRACT_DAGS:
        assert isinstance(dagbag.dags[dag_id].timetable, CronDataIntervalTimetable)
    assert dagbag.dags["extract_jira"].timetable.summary == "15 3 * * *"
    assert dagbag.dags["extract_pagerduty"].timetable.summary == "45 3 * * *"


def test_transform_runs_when_any_source_kind_lands(dagbag):
    condition = dagbag.dags["transform"].timetable.asset_condition  # AssetAny: any one of them triggers
    uris = {asset.uri for asset in condition.objects}
    assert uris == {f"delivery://raw/{kind}" for kind in ("business", "events", "github", "git", "jira", "pagerduty")}


def test_every_duckdb_writer_takes_the_single_slot_pool(dagbag):
    writers = {(dag_id, "load") for dag_id in EXTRACT_DAGS} | {("transform", "dbt_build"), ("transform", "publish")}
    for dag_id, task_id in writers:
        assert dagbag.dags[dag_id].get_task(task_id).pool == "duckdb_writer"
    assert dagbag.dags["extract_github"].get_task("extract").pool != "duckdb_writer"


def test_a_connection_supplies_the_jira_user_and_token(monkeypatch):
    from extractors.jira.settings import JiraSettings
    from extractors.pipeline import credentials

    monkeypatch.setenv(
        "AIRFLOW_CONN_JIRA_TEST", '{"conn_type": "http", "login": "ada@acme.test", "password": "s3cr3t"}'
    )
    monkeypatch.syspath_prepend(str(DAGS_DIR))
    from delivery_common import token_lookup

    source = JiraSettings(
        name="jira", kind="jira", scopes=[{"project": "X"}], base_url="http://x", airflow_conn_id="jira_test"
    )
    creds = credentials(source, token_lookup)
    assert (creds.user, creds.token) == ("ada@acme.test", "s3cr3t") and "s3cr3t" not in repr(creds)


def test_a_run_triggered_by_hand_extracts_up_to_when_it_was_asked(monkeypatch):
    import datetime as dt
    from types import SimpleNamespace

    monkeypatch.syspath_prepend(str(DAGS_DIR))
    from delivery_common import window_end

    asked = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
    scheduled_end = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)
    assert window_end(None, SimpleNamespace(run_after=asked)) == asked  # manual trigger: no data interval
    assert window_end(scheduled_end, SimpleNamespace(run_after=asked)) == scheduled_end


def test_load_runs_when_a_scope_failed_so_the_other_scopes_land(dagbag):
    for dag_id in EXTRACT_DAGS:
        assert dagbag.dags[dag_id].get_task("load").trigger_rule == "all_done"


def test_transform_checks_freshness_beside_the_build_and_reports_every_mart(dagbag):
    transform = dagbag.dags["transform"]
    freshness, build = transform.get_task("source_freshness"), transform.get_task("dbt_build")
    # a stale stream fails its own task (a leaf, so the run) without holding back the marts
    assert freshness.pool == "duckdb_writer" and not freshness.upstream_task_ids and not freshness.downstream_task_ids
    assert build.upstream_task_ids == set() and build.downstream_task_ids == {"publish"}
    assert transform.get_task("publish").downstream_task_ids == {"send_alerts", "mart_status", "report", "docs"}
    for reader in ("report", "docs"):  # they read the published snapshot only
        assert transform.get_task(reader).pool != "duckdb_writer"
    status = transform.get_task("mart_status")
    assert status.trigger_rule == "all_done"  # also after a failed build: the failed marts say so
    mart_files = {path.stem for path in (PROJECT_DIR / "dbt_project" / "models" / "marts").rglob("*.sql")}
    assert {asset.uri for asset in status.outlets} == {f"delivery://marts/{name}" for name in mart_files}
    assert {"rpt_dora_weekly", "fct_pull_requests", "alerts"} <= mart_files
    assert [asset.uri.rstrip("/") for asset in transform.get_task("publish").outlets] == ["delivery://marts"]
