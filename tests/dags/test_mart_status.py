"""The status each mart's Airflow asset carries, read from dbt's run_results.json (mart_status task)."""

from __future__ import annotations

import json

from extractors.dbt_results import mart_statuses

METADATA = {"invocation_id": "1567b9f4", "generated_at": "2026-12-01T02:12:01.010006Z"}
# As dbt 1.11 wrote them in a real build whose stg_config__teams failed (its table was dropped)
RESULTS = [
    {"unique_id": "model.delivery_warehouse.stg_config__teams", "status": "error", "execution_time": 0.06,
     "message": "Runtime Error in model stg_config__teams\n  Catalog Error: Table config__teams does not exist!"},
    {"unique_id": "model.delivery_warehouse.dim_people", "status": "skipped", "execution_time": 0, "message": None},
    {"unique_id": "model.delivery_warehouse.fct_changes", "status": "success", "execution_time": 0.1158,
     "message": "OK"},
    {"unique_id": "test.delivery_warehouse.not_null_fct_changes_change_id.1", "status": "pass", "execution_time": 0.01},
]  # fmt: skip


def test_each_mart_gets_its_status_and_why_it_was_not_built(tmp_path):
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"metadata": METADATA, "results": RESULTS}))

    statuses = mart_statuses(run_results, ["fct_changes", "dim_people", "stg_config__teams", "rpt_dora_weekly"])

    built = {"dbt_invocation_id": "1567b9f4", "built_at": "2026-12-01T02:12:01.010006Z"}
    assert statuses["fct_changes"] == {"status": "success", "execution_time": 0.116, "message": None, **built}
    assert statuses["dim_people"]["status"] == "skipped"
    assert "depends on failed" in statuses["dim_people"]["message"]
    assert "does not exist" in statuses["stg_config__teams"]["message"]  # an error keeps dbt's own words
    assert "rpt_dora_weekly" not in statuses  # not in this build: the task marks it "not built"
