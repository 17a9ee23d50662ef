"""Killing the pipeline mid-transform leaves no dbt behind holding the DuckDB lock; dbt failures are messages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

DELIVERY = Path(sys.executable).with_name("delivery")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(f"""
        warehouse: {{state_dir: {tmp_path / 'state'}}}
        sources:
          - {{name: local_git, kind: git, scopes: [{{path: {tmp_path}, repository: acme/api}}]}}
        """))
    subprocess.run([str(DELIVERY), "load", "--config", str(path)], check=True, capture_output=True)
    return path


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux-only")
def test_a_killed_transform_takes_dbt_with_it(config):
    parent = subprocess.Popen([str(DELIVERY), "transform", "--config", str(config)])
    deadline = time.monotonic() + 60
    while not (dbt := children(parent.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert dbt, "dbt never started"
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20
    while alive(dbt[0]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(dbt[0]), "dbt outlived the process that started it"


def delivery(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(DELIVERY), *args], capture_output=True, text=True, check=False)


def test_a_failing_dbt_build_is_a_message_not_a_traceback(config):
    result = delivery("transform", "--config", str(config), "--", "--select", "stg_config__teams", "--target", "nope")
    assert result.returncode == 2
    assert result.stderr.startswith("delivery transform: dbt build failed (exit 2); the full log is in")
    assert "does not have a target named 'nope'" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["load", "transform"])
def test_a_warehouse_held_by_a_live_process_names_it_and_what_to_do(config, tmp_path, command):
    warehouse = tmp_path / "state" / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(warehouse)!r}); print(1, flush=True); "
                               "time.sleep(120)"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        holder.stdout.readline()
        result = delivery(command, "--config", str(config))
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2
    assert f"the warehouse {warehouse} is locked by process {holder.pid} ({sys.executable} -c import duckdb" in (
        result.stderr
    )
    assert f"`kill {holder.pid}`" in result.stderr and "Traceback" not in result.stderr


def test_a_warehouse_that_is_not_a_duckdb_file_is_a_message(config, tmp_path):
    (tmp_path / "state" / "warehouse.duckdb").write_bytes(b"not a database")
    result = delivery("load", "--config", str(config))
    assert result.returncode == 2
    warehouse = tmp_path / "state" / "warehouse.duckdb"
    assert result.stderr.startswith(f"delivery load: cannot open the warehouse {warehouse}")
    assert "not a valid DuckDB database file" in result.stderr and "Traceback" not in result.stderr
