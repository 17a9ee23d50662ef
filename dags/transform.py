"""Build the dbt project whenever raw data lands, then publish the BI snapshot."""

from __future__ import annotations

import functools
import operator

from airflow.sdk import dag, task
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
the `duckdb_writer` pool's single slot.
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

    dbt_build() >> publish()


transform()
