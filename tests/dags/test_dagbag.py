"""DAG integrity: every DAG imports without secrets or config, has tags, retries and a data-interval timetable."""

from __future__ import annotations

import sys

import pytest
from airflow.dag_processing.dagbag import DagBag
from airflow.timetables.interval import CronDataIntervalTimetable

from tests.conftest import PROJECT_DIR

DAGS_DIR = PROJECT_DIR / "dags"


@pytest.fixture(scope="module")
def dagbag():
    sys.path.insert(0, str(DAGS_DIR))  # what Airflow itself does for the DAGs folder
    try:
        return DagBag(dag_folder=str(DAGS_DIR))
    finally:
        sys.path.remove(str(DAGS_DIR))


def test_no_import_errors_without_any_secret_or_config(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {"extract_github", "extract_git", "transform"}


def test_every_dag_has_tags_retries_and_docs(dagbag):
    for dag in dagbag.dags.values():
        assert "delivery" in dag.tags
        assert dag.doc_md
        for task in dag.tasks:
            assert task.retries >= 1, f"{dag.dag_id}.{task.task_id} has no retries"


def test_extract_dags_use_data_intervals_not_bare_cron(dagbag):
    for dag_id in ("extract_github", "extract_git"):
        assert isinstance(dagbag.dags[dag_id].timetable, CronDataIntervalTimetable)


def test_every_duckdb_writer_takes_the_single_slot_pool(dagbag):
    writers = {("extract_github", "load"), ("extract_git", "load"), ("transform", "dbt_build"),
               ("transform", "publish")}
    for dag_id, task_id in writers:
        assert dagbag.dags[dag_id].get_task(task_id).pool == "duckdb_writer"
    assert dagbag.dags["extract_github"].get_task("extract").pool != "duckdb_writer"
