"""`make demo`: the simulated org's APIs on loopback, the Airflow DAGs run once, a weekly table printed.

Steps: generate the `demo` org (deterministic), serve its GitHub API on 127.0.0.1, write the pipeline
config pointing at it, run extract_github, extract_git and transform with `airflow dags test`
(SQLite metadata in .state/airflow), then print per-team weeks from the published snapshot and write the
HTML report beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from extractors.answer import team_answers
from extractors.core.config import load_config
from extractors.dashboards.report import default_report_path
from extractors.summary import health_summary, weekly_summary
from scripts.local_airflow import airflow_env, dags_test, init, logical_date_covering, pipeline_dag_ids
from simulator import SIM_TOKEN as DEMO_TOKEN
from simulator import SimServer, generate, sim_credentials, write_pipeline_config

PROJECT_DIR = Path(__file__).resolve().parents[1]
STATE_DIR = PROJECT_DIR / ".state"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="demo")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    sim_dir = generate(profile=args.profile, seed=args.seed, out_dir=STATE_DIR / "sim" / args.profile)
    data_dir = STATE_DIR / "data"
    with SimServer(sim_dir, token=DEMO_TOKEN) as server:
        config_path = write_pipeline_config(sim_dir, base_url=server.base_url)
        env = airflow_env(
            STATE_DIR / "airflow",
            DELIVERY_CONFIG=str(config_path),
            DELIVERY_STATE_DIR=str(data_dir),
            **sim_credentials(),
        )
        os.environ["DELIVERY_STATE_DIR"] = str(data_dir)
        init(env)
        # One daily run whose data interval ends after the org's last simulated day covers its history.
        logical_date = logical_date_covering(json.loads((sim_dir / "org.json").read_text())["window"]["end"])
        for dag_id in pipeline_dag_ids():
            print(f"airflow dags test {dag_id} {logical_date} ...", flush=True)
            dags_test(dag_id, logical_date, env)
    config = load_config(config_path)
    print()
    print(f"Simulated org '{args.profile}' (seed {args.seed}): last 4 weeks per team")
    print(weekly_summary(config.published_path, weeks=4))
    print()
    print(health_summary(config.published_path, config.landing_dir))
    print()
    print('Busier or faster since adopting AI tools (marts.rpt_ai_impact, METRICS.md "AI impact"):')
    print(team_answers(config.published_path))
    print()
    # the transform DAG's `report` and `docs` tasks wrote these beside the snapshot (dags_test raised if they failed)
    report = default_report_path(config.published_path)
    docs = config.published_path.parent / "docs" / "index.html"
    print(f"Warehouse (live):      {config.duckdb_path}")
    print(f"BI snapshot (read it): {config.published_path}")
    print(
        f'Try: {PROJECT_DIR / ".state/venv/bin/python"} -c "import duckdb; '
        f"print(duckdb.connect('{config.published_path}', read_only=True)"
        ".sql('select * from marts.rpt_dora_weekly limit 5'))\""
    )
    print(f"HTML report (open or mail it): {report}")
    print(f"What every mart column means (dbt docs of the snapshot): {docs}")
    print("The interactive app over this snapshot: make dashboard")
    return 0


if __name__ == "__main__":
    sys.exit(main())
