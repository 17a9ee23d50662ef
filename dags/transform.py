"""Build the dbt project whenever raw data lands, then publish the BI snapshot."""

from __future__ import annotations

import functools
import operator

from airflow.sdk import dag, task
from alert_notifier import ALERTS_CONN_ID, AlertWebhookNotifier
from delivery_common import DEFAULT_ARGS, DUCKDB_POOL, MARTS_ASSET, RAW_ASSETS, START_DATE, config


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
""",
)
def transform():
    @task(pool=DUCKDB_POOL)
    def dbt_build() -> None:
        from extractors import pipeline

        pipeline.transform(config())

    @task(pool=DUCKDB_POOL, outlets=[MARTS_ASSET])
    def publish() -> str:
        from extractors import pipeline

        return str(pipeline.publish(config()))

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

    dbt_build() >> publish() >> send_alerts()


transform()
