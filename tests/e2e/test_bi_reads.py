"""BI never sees a broken snapshot: another process reads the published file every 100 ms with a real mart
query while `delivery run` (extract, load, dbt build, publish) runs again and again; every read succeeds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractors.core.config import load_config
from simulator import SIM_TOKEN, SimServer, generate, sim_credentials, write_pipeline_config
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.e2e
DELIVERY = str(Path(sys.executable).with_name("delivery"))
CYCLES = 3
READ_EVERY_SECONDS = 0.1
MIN_READS_PER_CYCLE = 50  # a cycle (dbt build + publish) takes tens of seconds: hundreds of reads
# What a dashboard asks: each team's weeks and deployments beside the commits its people made.
MART_QUERY = """
    select d.team_key, count(*) as weeks, sum(d.deployments) as deployments, any_value(a.commits) as commits
    from marts.rpt_dora_weekly as d
    left join (
        select team_key, sum(commits) as commits from marts.fct_activity_daily group by team_key
    ) as a using (team_key)
    group by d.team_key
    order by d.team_key
"""


@pytest.fixture(scope="module")
def tiny_sim(tmp_path_factory) -> Path:
    return generate(profile="tiny", seed=11, out_dir=tmp_path_factory.mktemp("sim") / "tiny")


def test_reads_of_the_published_snapshot_never_fail_while_it_is_rebuilt(tiny_sim, tmp_path, monkeypatch):
    window_end = json.loads((tiny_sim / "org.json").read_text())["window"]["end"]
    monkeypatch.setenv("DELIVERY_STATE_DIR", str(tmp_path / "state"))
    env = {**os.environ, **sim_credentials()}
    config = tmp_path / "config.yml"
    stop = tmp_path / "stop-reading"
    with SimServer(tiny_sim, token=SIM_TOKEN) as server:
        config.write_text(write_pipeline_config(tiny_sim, base_url=server.base_url).read_text())
        delivery(env, "run", "--config", str(config), "--until", window_end)  # the first snapshot
        reader = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.test_bi_reads", str(load_config(config).published_path), str(stop)],
            cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            for _ in range(CYCLES):
                delivery(env, "run", "--config", str(config), "--until", window_end)
        finally:
            stop.touch()
            out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err[-3000:]
    reads = json.loads(out)
    print(f"BI reads: {reads['ok']} ok, {reads['failed']} failed, {len(reads['snapshots'])} snapshots seen")
    assert reads["failed"] == 0, reads["errors"][:10]
    assert reads["ok"] >= CYCLES * MIN_READS_PER_CYCLE, reads
    assert len(reads["snapshots"]) >= CYCLES + 1, reads  # the first snapshot and each cycle's replacement
    assert len(reads["answers"]) == 1, reads["answers"]  # the data did not change: neither may the answer


def delivery(env: dict[str, str], *args: str) -> None:
    result = subprocess.run([DELIVERY, *args], env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"delivery {args} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def read_until_stopped(published: Path, stop: Path) -> dict:
    """What a BI tool does: open read-only, query a mart, close; every 100 ms until `stop` exists."""
    ok, failed, errors, snapshots, answers = 0, 0, [], set(), set()
    while not stop.exists():
        started = time.monotonic()
        try:
            status = published.stat()
            with duckdb.connect(str(published), read_only=True) as conn:
                rows = conn.execute(MART_QUERY).fetchall()
            if not rows or not sum(row[2] for row in rows):
                raise AssertionError(f"the mart query found no deployments: {rows}")
            ok += 1
            snapshots.add(f"{status.st_ino}/{status.st_mtime_ns}")
            answers.add(json.dumps(rows, default=str))
        except Exception as exc:  # every kind of failure a BI user would see counts
            failed += 1
            errors.append(f"{time.time():.3f} {type(exc).__name__}: {exc}")
        time.sleep(max(0.0, READ_EVERY_SECONDS - (time.monotonic() - started)))
    return {"ok": ok, "failed": failed, "errors": errors, "snapshots": sorted(snapshots), "answers": sorted(answers)}


if __name__ == "__main__":
    print(json.dumps(read_until_stopped(Path(sys.argv[1]), Path(sys.argv[2]))))
