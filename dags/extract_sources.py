"""One extract DAG per registered source kind: plan scopes, extract each in a mapped task, load once."""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.interval import CronDataIntervalTimetable
from delivery_common import (
    DEFAULT_ARGS,
    DUCKDB_POOL,
    RAW_ASSETS,
    SOURCE_KINDS,
    START_DATE,
    config,
    sources_of_kind,
    token_lookup,
    window_end,
)

DOC = """
### Extract {kind}
{description}.

Lands every configured `{kind}` source for the data interval `[data_interval_start, data_interval_end)`:
`plan` lists the scopes (repositories, projects, an account ...) and lands the small
site-wide lists, `extract` runs once per scope in parallel and writes only landing files, `load`
(pool `duckdb_writer`, one slot) loads them into `raw.{kind}__*` and advances the cursors; it runs
even when a scope failed, so one broken repository or project does not hold back the others.
A run triggered by hand (no data interval) extracts up to the moment it was triggered.
Re-running a day is safe: loads are idempotent. Runbook: README.md, "Operating the DAGs".
"""


def build(kind: str, schedule: str):
    @dag(
        dag_id=f"extract_{kind}",
        schedule=CronDataIntervalTimetable(schedule, timezone="UTC"),
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["delivery", "extract", kind],
        doc_md=DOC.format(kind=kind, description=SOURCE_KINDS[kind].description),
    )
    def extract_dag():
        @task
        def plan(data_interval_end=None, dag_run=None, run_id=None) -> list[dict[str, str]]:
            from extractors import pipeline

            cfg, until = config(), window_end(data_interval_end, dag_run)
            return [
                {"source": name, "scope": scope}
                for name in sources_of_kind(kind)
                for scope in pipeline.plan_scopes(cfg, name, until, run_id, token_lookup)
            ]

        @task(max_active_tis_per_dagrun=4)
        def extract(item: dict[str, str], data_interval_end=None, dag_run=None, run_id=None) -> dict:
            from extractors import pipeline

            until = window_end(data_interval_end, dag_run)
            result = pipeline.extract_scope(config(), item["source"], item["scope"], until, run_id, token_lookup)
            return result.as_dict()

        # all_done: what the other scopes landed is loaded even when one scope failed (the run still fails)
        @task(pool=DUCKDB_POOL, outlets=[RAW_ASSETS[kind]], trigger_rule="all_done")
        def load() -> dict:
            from extractors import pipeline

            summary = pipeline.load(config())
            return {key: getattr(summary, key) for key in ("files", "inserted", "quarantined", "rejected")}

        extract.expand(item=plan()) >> load()

    return extract_dag()


for _kind in SOURCE_KINDS.values():
    globals()[f"extract_{_kind.name}"] = build(_kind.name, _kind.schedule)
