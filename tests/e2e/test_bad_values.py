"""One bad value upstream must not stop the marts: staging converts with `try_` casts, records what it could
not use in `data_quality.dq_invalid_values`, and the canonical layer drops records missing a required value.

After a normal run against the `tiny` org, records with bad values are landed the way the extractors land
them (LandingWriter, then `delivery load`): a pull request whose created_at is "24/02/2026 10:00", one whose
created_at is the integer 12345, a PagerDuty incident with created_at null, a log entry with incident null.
`delivery transform` must succeed with every model built, list each bad value with its reason, and leave
every mart exactly as it was (the bad records are excluded, not assigned to a week or team as null).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import duckdb
import pytest

from extractors.core.config import load_config
from extractors.core.landing import LandingWriter
from simulator import SimServer, generate
from tests.e2e.conftest import TOKEN, sim_config
from tests.e2e.ground_truth import differences, marts_fingerprint
from tests.e2e.test_pipeline_cli import delivery

pytestmark = pytest.mark.e2e
RUN_ID = "bad_values__1"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    return generate(profile="tiny", seed=7, out_dir=tmp_path_factory.mktemp("sim") / "tiny")


def test_bad_values_are_recorded_and_the_marts_still_build(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("DELIVERY_STATE_DIR", str(tmp_path / "data"))
    with SimServer(tiny, token=TOKEN) as server:
        config_path = sim_config(tiny, server, tmp_path / "config.yml", monkeypatch)
        window_end = json.loads((tiny / "org.json").read_text())["window"]["end"]
        delivery("run", "--config", str(config_path), "--until", window_end)
    config = load_config(config_path)
    assert differences(config.published_path, tiny / "ground_truth.json") == []
    before = marts_fingerprint(config.duckdb_path)
    assert _invalid_values(config.duckdb_path) == set()  # the simulator's data is clean

    expected = _land_bad_records(config)
    delivery("load", "--config", str(config_path))
    delivery("transform", "--config", str(config_path))

    results = json.loads((config.state_dir / "dbt" / "target" / "run_results.json").read_text())["results"]
    not_built = [(r["unique_id"], r["status"]) for r in results
                 if r["unique_id"].startswith("model.") and r["status"] != "success"]  # fmt: skip
    assert not_built == []
    assert _invalid_values(config.duckdb_path) == expected
    # The bad records are excluded from the canonical layer: every mart is unchanged.
    assert marts_fingerprint(config.duckdb_path) == before


def _land_bad_records(config) -> set[tuple]:
    """Land copies of real records with one bad value each; return the dq rows they must produce."""
    with duckdb.connect(str(config.duckdb_path), read_only=True) as conn:
        pull_request = _one(conn, "github__pull_requests")
        incident = _one(conn, "pagerduty__incidents")
        log_entry = _one(conn, "pagerduty__log_entries")

    def land(record: dict, payloads: list[tuple[str, dict, str | None]], source: str, stream: str) -> None:
        kind = config.source(source).kind
        with LandingWriter(config.landing_dir, source, kind, stream, record["scope"], RUN_ID) as writer:
            for record_id, payload, parent_id in payloads:
                writer.write(record_id, payload, parent_id=parent_id)
            writer.commit()

    bad_prs = []
    for offset, created_at in ((1, "24/02/2026 10:00"), (2, 12345)):
        payload = copy.deepcopy(pull_request["payload"])
        payload.update(id=990000 + offset, number=9900 + offset, created_at=created_at)
        bad_prs.append((str(payload["id"]), payload, None))
    land(pull_request, bad_prs, pull_request["source_instance"], "pull_requests")

    bad_incident = {**copy.deepcopy(incident["payload"]), "id": "QBADINCIDENT01", "created_at": None}
    land(incident, [("QBADINCIDENT01", bad_incident, None)], incident["source_instance"], "incidents")

    bad_entry = {**copy.deepcopy(log_entry["payload"]), "id": "RBADLOGENTRY01", "incident": None}
    land(log_entry, [("RBADLOGENTRY01", bad_entry, None)], log_entry["source_instance"], "log_entries")

    return {
        ("github__pull_requests", "990001", "created_at", "24/02/2026 10:00", "not a timestamp", True),
        ("github__pull_requests", "990002", "created_at", "12345", "not a timestamp", True),
        ("pagerduty__incidents", "QBADINCIDENT01", "created_at", None, "missing required value", True),
        ("pagerduty__log_entries", "RBADLOGENTRY01", "incident_id", None, "missing required value", True),
    }


def _one(conn: duckdb.DuckDBPyConnection, table: str) -> dict:
    source_instance, scope, payload = conn.execute(
        f"select source_instance, scope, payload from raw.{table} order by record_id limit 1"
    ).fetchone()
    return {"source_instance": source_instance, "scope": scope, "payload": json.loads(payload)}


def _invalid_values(database: Path) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as conn:
        rows = conn.execute("""
            select stream, record_id, column_name, raw_value, reason, is_record_excluded
            from data_quality.dq_invalid_values""").fetchall()
    return set(rows)
