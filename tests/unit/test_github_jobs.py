"""workflow_jobs is a child of workflow_runs: a run's jobs are read in the run's extraction, and on the next day
only for the runs listed again (new, or changed within the lookback), counted at a running SimServer."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import duckdb
import pytest

from extractors.core.loader import load_landing
from extractors.core.registry import streams_by_kind
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github.source import extract_repository, make_session
from simulator import SimServer, generate

# Wednesday 14:00 UTC, when a CI run is in progress (its test job running); "today" is 24 hours later.
YESTERDAY, TODAY = 106, 82
LOOKBACK = dt.timedelta(minutes=10)
JOBS = re.compile(r"/repos/[^/]+/[^/]+/actions/runs/(\d+)/jobs$")
STREAMS = ("workflow_runs", "workflow_jobs")


@pytest.fixture(scope="module")
def sims(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("jobs")
    return {day: generate(profile="tiny", seed=11, out_dir=base / day, cutoff_hours_before_end=hours)
            for day, hours in (("yesterday", YESTERDAY), ("today", TODAY))}  # fmt: skip


def observed_until(sim: Path) -> dt.datetime:
    return dt.datetime.fromisoformat(json.loads((sim / "org.json").read_text())["window"]["observed_until"])


def repositories(sim: Path) -> list[str]:
    with sqlite3.connect(sim / "org.sqlite") as conn:
        return [name for (name,) in conn.execute("SELECT full_name FROM repos ORDER BY id")]


def extract_day(sim: Path, root: Path, run_id: str, streams=STREAMS) -> tuple[dict[str, int], list[str], set]:
    """Extract every repository's `streams` up to the day's cutoff, load them (publishing the cursors) and
    return the records landed per stream, the run ids whose jobs were asked for and the runs' `created` filters."""
    ctx = RunContext(source="gh", kind="github", run_id=run_id, window_end=observed_until(sim),
                     landing_dir=root / "landing", cursors=CursorStore(root / "state"), lookback=LOOKBACK)  # fmt: skip
    counts: dict[str, int] = {}
    with SimServer(sim, token="t") as server:
        for repo in repositories(sim):
            for stream, n in extract_repository(make_session(server.base_url, "t"), ctx, repo, streams=streams).items():
                counts[stream] = counts.get(stream, 0) + n
        log = server.request_log()
    with duckdb.connect(str(root / "warehouse.duckdb")) as conn:
        load_landing(conn, root / "landing", ctx.cursors, streams_by_kind())
    asked = [m.group(1) for entry in log if (m := JOBS.search(entry["path"]))]
    assert all(e["query"].get("filter") == "all" for e in log if JOBS.search(e["path"]))
    listed = {e["query"].get("created") for e in log if e["path"].endswith("/actions/runs")}
    return counts, asked, listed


def runs(sim: Path, where: str = "1", *params) -> dict[str, str]:
    with sqlite3.connect(sim / "org.sqlite") as conn:
        return dict(conn.execute(f"SELECT CAST(id AS TEXT), status FROM workflow_runs WHERE {where}", params))


def test_jobs_are_read_once_per_new_or_changed_run(sims, tmp_path):
    yesterday, today = sims["yesterday"], sims["today"]
    counts, asked, _ = extract_day(yesterday, tmp_path, "day1")
    with sqlite3.connect(yesterday / "org.sqlite") as conn:
        jobs = conn.execute("SELECT count(*) FROM workflow_jobs").fetchone()[0]
    assert sorted(asked) == sorted(runs(yesterday)) and counts["workflow_jobs"] == jobs
    in_progress = {run for run, status in runs(yesterday).items() if status == "in_progress"}
    assert in_progress, "the cutoff should catch a run in progress"

    counts, asked, listed = extract_day(today, tmp_path, "day2")
    since = observed_until(yesterday) - LOOKBACK
    # runs of the last day are listed again (a run changes until it completes: WORKFLOW_RUNS.open_for) ...
    assert listed == {f">={(since - dt.timedelta(hours=24)).strftime('%Y-%m-%dT%H:%M:%SZ')}"}
    # ... and the jobs of those that changed since the cursor are read
    changed = runs(today, "created_at >= ? AND updated_at >= ?", int(since.timestamp()) - 86400, int(since.timestamp()))
    assert sorted(asked) == sorted(changed)  # one request per run: every run has fewer than 100 jobs
    assert len(asked) < len(runs(today)) / 10
    assert in_progress <= set(asked)  # the run finished since: its jobs are read again, now completed
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        finished = conn.execute("""SELECT DISTINCT payload ->> '$.run_id' FROM raw.github__workflow_jobs
                                   WHERE run_id = 'day2' AND (payload ->> '$.status') = 'completed'""").fetchall()
    assert {run for (run,) in finished} >= in_progress


def test_a_config_without_workflow_jobs_asks_for_no_jobs(sims, tmp_path):
    counts, asked, _ = extract_day(sims["today"], tmp_path, "day1", streams=("workflow_runs",))
    assert asked == [] and "workflow_jobs" not in counts and counts["workflow_runs"] > 0
