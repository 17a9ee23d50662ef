"""End to end through the command line: simulator -> HTTP extraction -> load -> dbt build -> marts == truth."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractors.core.config import load_config
from tests.e2e.conftest import TOKEN
from tests.e2e.ground_truth import differences, marts_fingerprint

pytestmark = pytest.mark.e2e
DELIVERY = str(Path(sys.executable).with_name("delivery"))


def delivery(*args: str) -> str:
    result = subprocess.run([DELIVERY, *args], capture_output=True, text=True, env=os.environ.copy(), check=False)
    assert result.returncode == 0, f"delivery {args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result.stdout


def test_cli_run_equals_ground_truth_and_a_rerun_changes_nothing(pipeline_config, sim_dir, sim_server, window_end):
    # Faults on the first run: the retries must hide them and lose nothing.
    sim_server.set_faults([
        {"kind": "rate_limit", "path_regex": r"/pulls\?", "times": 2, "retry_after": 1},
        {"kind": "server_error", "path_regex": "/commits", "times": 2, "status": 502},
        {"kind": "reset", "path_regex": "/deployments", "times": 1},
    ])
    delivery("run", "--config", str(pipeline_config), "--until", window_end)
    config = load_config(pipeline_config)
    assert differences(config.published_path, sim_dir / "ground_truth.json") == []
    statuses = [r["status"] for r in sim_server.request_log()]
    assert statuses.count(429) == 2 and statuses.count(502) == 2

    before = marts_fingerprint(config.duckdb_path)
    raw_before = _raw_counts(config.duckdb_path)
    delivery("run", "--config", str(pipeline_config), "--until", window_end)
    assert marts_fingerprint(config.duckdb_path) == before
    assert _raw_counts(config.duckdb_path) == raw_before

    # The token reached the server but nothing the pipeline wrote.
    for path in config.state_dir.rglob("*"):
        if path.is_file() and path.suffix != ".gz":
            assert TOKEN.encode() not in path.read_bytes(), f"token written to {path}"


def test_one_source_one_scope_can_be_extracted_alone(pipeline_config, window_end):
    out = delivery("extract", "--config", str(pipeline_config), "--source", "local_git", "--until", window_end)
    assert '"commits":' in out
    summary = delivery("load", "--config", str(pipeline_config))
    assert '"inserted":' in summary


def _raw_counts(database: Path) -> dict[str, int]:
    with duckdb.connect(str(database), read_only=True) as conn:
        tables = [r[0] for r in conn.execute("select table_name from information_schema.tables "
                                             "where table_schema = 'raw' order by 1").fetchall()]
        return {t: conn.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in tables
                if t not in ("_loaded_files",)}
