"""Incremental runs: the org advances one day; the next run asks only for what changed, and its marts
equal a full rebuild from scratch.

"Yesterday" and "today" are the same simulated org observed 24 hours apart (same ids, shas and keys).
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from extractors.core.config import load_config
from simulator import SimServer, generate
from simulator.pagerduty import ids as pagerduty_ids
from tests.e2e.conftest import TOKEN, sim_config
from tests.e2e.ground_truth import differences, marts_fingerprint
from tests.e2e.test_pipeline_cli import delivery

pytestmark = pytest.mark.e2e
LOOKBACK = timedelta(minutes=10)  # the sources' default lookback_minutes


@pytest.fixture(scope="module")
def yesterday(tmp_path_factory) -> Path:
    return generate(
        profile="tiny", seed=11, out_dir=tmp_path_factory.mktemp("sim") / "yesterday", cutoff_hours_before_end=24
    )


@pytest.fixture(scope="module")
def today(tmp_path_factory) -> Path:
    return generate(profile="tiny", seed=11, out_dir=tmp_path_factory.mktemp("sim") / "today")


def observed_until(sim_dir: Path) -> str:
    window = json.loads((sim_dir / "org.json").read_text())["window"]
    return window.get("observed_until", window["end"])


def run_against(sim_dir: Path, state_dir: Path, tmp_path: Path, monkeypatch, name: str) -> tuple[Path, list[dict]]:
    monkeypatch.setenv("DELIVERY_STATE_DIR", str(state_dir))
    with SimServer(sim_dir, token=TOKEN) as server:
        config = sim_config(sim_dir, server, tmp_path / f"{name}.yml", monkeypatch)
        delivery("run", "--config", str(config), "--until", observed_until(sim_dir))
        return config, server.request_log()


def test_next_day_requests_only_what_changed_and_equals_a_full_rebuild(yesterday, today, tmp_path, monkeypatch):
    state = tmp_path / "incremental"
    run_against(yesterday, state, tmp_path, monkeypatch, "yesterday")
    config, requests = run_against(today, state, tmp_path, monkeypatch, "today")
    incremental = load_config(config)

    rebuilt_config, full_requests = run_against(today, tmp_path / "full", tmp_path, monkeypatch, "full")
    rebuilt = load_config(rebuilt_config)
    assert marts_fingerprint(incremental.duckdb_path) == marts_fingerprint(rebuilt.duckdb_path)
    assert differences(incremental.published_path, today / "ground_truth.json") == []

    since = datetime.fromisoformat(observed_until(yesterday).replace("Z", "+00:00")) - LOOKBACK
    changed = ChangedSince(today / "org.sqlite", int(since.timestamp()))
    assert requested(requests, r"/repos/[^/]+/([^/]+)/pulls/(\d+)/reviews") == changed.pull_requests()
    assert requested(requests, r"/repos/[^/]+/([^/]+)/pulls/(\d+)/commits") == changed.pull_requests()
    assert requested(requests, r"/repos/[^/]+/([^/]+)/deployments/(\d+)/statuses") == changed.deployments()
    assert requested(requests, r"/repos/[^/]+/([^/]+)/actions/runs/(\d+)/jobs") == changed.workflow_runs()
    assert requested(requests, r"/jira/rest/api/3/issue/([^/]+)/changelog") <= changed.work_items()
    assert requested(requests, r"/pagerduty/incidents/(\w+)$") <= changed.incidents_touched_not_created()
    # Per-parent calls are what a full run spends its requests on; the day's run makes a small fraction.
    assert len(requests) < len(full_requests) / 5, (len(requests), len(full_requests))


def requested(log: list[dict], pattern: str) -> set[tuple[str, ...]]:
    regex = re.compile(pattern)
    return {match.groups() for entry in log if (match := regex.search(entry["path"]))}


class ChangedSince:
    """What changed in the simulated org at or after `since` (epoch seconds), read from its SQLite file."""

    def __init__(self, database: Path, since: int):
        self.conn = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        self.since = since

    def pull_requests(self) -> set[tuple[str, str]]:
        return self._pairs("""select r.name, p.number from pulls p join repos r on r.id = p.repo_id
                              where p.updated_at >= ?""")

    def deployments(self) -> set[tuple[str, str]]:
        return self._pairs("""select r.name, d.id from deployments d join repos r on r.id = d.repo_id
                              where r.deploys_via = 'deployments_api'
                              and coalesce((select max(s.created_at) from deployment_statuses s
                                              where s.deployment_id = d.id), d.created_at) >= ?""")

    def workflow_runs(self) -> set[tuple[str, str]]:
        """Runs of the last day are listed again (`created>=`, WORKFLOW_RUNS.open_for); the jobs of those
        changed since are read."""
        return self._pairs("""select r.name, w.id from workflow_runs w join repos r on r.id = w.repo_id
                              where w.created_at >= ?1 - 86400 and w.updated_at >= ?1""")

    def work_items(self) -> set[tuple[str]]:
        rows = self.conn.execute("select key from work_items where updated_at >= ?", (self.since,))
        return {(key,) for (key,) in rows}

    def incidents_touched_not_created(self) -> set[tuple[str]]:
        rows = self.conn.execute(
            """select distinct i.id from incidents i join incident_log_entries l
                                    on l.incident_id = i.id where l.created_at >= ? and i.created_at < ?""",
            (self.since, self.since),
        )
        return {(pagerduty_ids.encode("incident", incident_id),) for (incident_id,) in rows}

    def _pairs(self, sql: str) -> set[tuple[str, str]]:
        return {(name, str(key)) for name, key in self.conn.execute(sql, (self.since,))}

