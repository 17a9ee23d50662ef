"""Build the dbt project whenever raw data lands, then publish the BI snapshot."""

from __future__ import annotations

import functools
import operator

from airflow.sdk import dag, task
from alert_notifier import ALERTS_CONN_ID, AlertWebhookNotifier
from delivery_common import (
    DEFAULT_ARGS,
    DUCKDB_POOL,
    MART_ASSETS,
    MARTS_ASSET,
    RAW_ASSETS,
    START_DATE,
    config,
)


@dag(
    dag_id="transform",
    schedule=functools.reduce(operator.or_, RAW_ASSETS.values()),  # any source kind's load
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["delivery", "transform", "dbt"],
    doc_md="""
### Transform
Runs `dbt build` (models and tests) on the live warehouse when any raw asset updates, then writes the
read-only snapshot that BI reads (`published/warehouse.duckdb`, replaced atomically). Both tasks take
the `duckdb_writer` pool's single slot. Then `send_alerts` delivers each new row of `marts.alerts` once:
to this task's log, and to the webhook of the `delivery_alerts_webhook` Connection when it exists.

`source_freshness` runs `dbt source freshness` beside the build (METRICS.md "Data freshness"): how long
since the pipeline last loaded each raw stream, against the config's `freshness:` thresholds. A warning
is in its log and return value; an error fails that task (so the run), but the marts are still built and
published: stale data beside fresh data is still the best answer there is, and the failed task says so.

`mart_status` gives every mart's asset (`delivery://marts/<model>`) an event per build whose extra holds
its dbt status (success, error, skipped), seconds, rows in the snapshot and whether it was published,
also when the build failed. Follow `delivery://marts` to act on new data; the per-mart assets are status.
`report` writes the HTML report from the published snapshot beside it (`published/delivery-report.html`)
and `docs` the dbt docs of that snapshot (`published/docs/index.html`); no pool: both only read it.
""",
)
def transform():
    @task(pool=DUCKDB_POOL, priority_weight=10)  # before dbt_build when both wait for the pool
    def source_freshness() -> dict[str, str]:
        import logging

        from airflow.sdk.exceptions import AirflowFailException

        from extractors import pipeline
        from extractors.dbt_results import freshness_summary

        log = logging.getLogger("delivery.freshness")
        streams = pipeline.source_freshness(config())
        stale = [s for s in streams if s.stale]
        (log.warning if stale else log.info)("%s", freshness_summary(streams))
        errors = [s.stream for s in stale if s.status != "warn"]
        if errors:  # retrying does not make data fresher: fail now, the log above says which and since when
            raise AirflowFailException(f"raw streams past error_after: {', '.join(errors)}")
        return {s.stream: s.status for s in streams}

    @task(pool=DUCKDB_POOL)
    def dbt_build() -> None:
        from extractors import pipeline

        pipeline.transform(config())

    @task(pool=DUCKDB_POOL, outlets=[MARTS_ASSET])
    def publish() -> str:
        from extractors import pipeline

        return str(pipeline.publish(config()))

    @task(trigger_rule="all_done", outlets=list(MART_ASSETS.values()))
    def mart_status(outlet_events=None, dag_run=None, ti=None) -> dict[str, str]:
        import datetime as dt
        from pathlib import Path

        from extractors import pipeline
        from extractors.dbt_results import mart_rows, mart_statuses

        results = pipeline.dbt_target_path(config()) / "run_results.json"
        statuses = mart_statuses(results, list(MART_ASSETS)) if results.is_file() else {}
        built_at = min((dt.datetime.fromisoformat(s["built_at"]) for s in statuses.values()), default=None)
        if built_at is None or built_at < dag_run.start_date:
            raise RuntimeError(f"no dbt results from this run in {results} (dbt_build failed before dbt ran)")
        published = ti.xcom_pull(task_ids="publish")  # None when the build failed: nothing was published
        rows = mart_rows(Path(published), list(statuses)) if published else {}
        for name, asset in MART_ASSETS.items():
            extra = statuses.get(name, {"status": "not built"})
            outlet_events[asset].extra = {**extra, "rows": rows.get(name), "published": bool(published)}
        return {name: extra["status"] for name, extra in statuses.items()}

    @task
    def send_alerts() -> int:
        import logging

        from airflow.sdk import Connection, get_current_context
        from airflow.sdk.exceptions import AirflowNotFoundException

        from extractors.alerts import pending_alerts, record_sent

        log = logging.getLogger("delivery.alerts")
        settings = config()
        ledger = settings.state_dir / "alerts_sent.json"
        alerts = pending_alerts(settings.published_path, ledger)
        for alert in alerts:
            log.warning("ALERT (%s) %s", alert.severity, alert.message)
        if alerts:
            try:
                Connection.get(ALERTS_CONN_ID)
            except AirflowNotFoundException:
                log.info("no Connection %r: the alerts are in this log only", ALERTS_CONN_ID)
            else:
                AlertWebhookNotifier(alerts)(get_current_context())
            record_sent(ledger, alerts)
        return len(alerts)

    @task
    def report(published: str) -> str:
        from pathlib import Path

        from extractors.dashboards.report import default_report_path, write_report

        return str(write_report(Path(published), default_report_path(Path(published))))

    @task
    def docs() -> str:
        from extractors.dbt_docs import publish_docs

        return str(publish_docs(config()))

    source_freshness()
    published = publish()
    dbt_build() >> published >> [send_alerts(), mart_status()]
    report(published)
    published >> docs()


transform()
