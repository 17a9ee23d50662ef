"""The events source on a real drop folder, a real DuckDB file and a real `dbt build` of its staging models:
valid lines land, bad ones are quarantined with file/line/field, a re-run lands nothing, a corrected event
supersedes the earlier one in staging."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb

from extractors.core.loader import load_landing
from extractors.core.registry import streams_by_kind
from extractors.core.settings import validate
from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.events.settings import EventsSettings
from extractors.events.source import extract_drop_folder
from tests.conftest import PROJECT_DIR

END = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
DEPLOY = {
    "schema": "delivery.deployment/v1",
    "id": "d-1",
    "service": "checkout",
    "environment": "production",
    "sha": "3F9A2C1",
    "started_at": "2026-01-05T14:03:00+01:00",
    "status": "in_progress",
}
DONE = {**DEPLOY, "status": "success", "finished_at": "2026-01-05T14:09:00+01:00", "url": "https://cd.example/1"}
INCIDENT = {
    "schema": "delivery.incident/v1",
    "id": "i-1",
    "service": "checkout",
    "title": "500s",
    "urgency": "high",
    "started_at": "2026-01-05T15:00:00Z",
    "deployment_id": "d-1",
    "sha": "3f9a2c1",
}


def drop(tmp_path: Path, name: str, *lines: dict | str, age: int = 0) -> Path:
    path = tmp_path / "drop" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines))
    stamp = 1_800_000_000 + age  # landing order is modification time: make it explicit
    os.utime(path, (stamp, stamp))
    return path


def extract(tmp_path: Path, run_id: str) -> dict[str, int]:
    settings = validate(EventsSettings, {"name": "deploys", "kind": "events", "drop_folder": str(tmp_path / "drop")})
    ctx = RunContext(
        source="deploys",
        kind="events",
        run_id=run_id,
        window_end=END,
        landing_dir=tmp_path / "landing",
        cursors=CursorStore(tmp_path / "state"),
    )
    return extract_drop_folder(ctx, settings)


def load(tmp_path: Path):
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
        return load_landing(conn, tmp_path / "landing", CursorStore(tmp_path / "state"), streams_by_kind())


def query(tmp_path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def build_staging(tmp_path: Path) -> None:
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "build", "--select", "staging.events", "--project-dir", str(PROJECT_DIR / "dbt_project"),
         "--profiles-dir", str(PROJECT_DIR / "dbt_project"), "--target-path", str(tmp_path / "target"),
         "--log-path", str(tmp_path / "logs")],
        env={"DELIVERY_DUCKDB_PATH": str(tmp_path / "warehouse.duckdb"), "PATH": "/usr/bin:/bin",
             "HOME": str(tmp_path)},
        capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:]


def test_valid_lines_land_bad_ones_are_quarantined_and_a_rerun_lands_nothing(tmp_path):
    pushed = drop(tmp_path, "deployment-abc.jsonl", DEPLOY, {**DEPLOY, "id": "d-2", "sha": "nope"}, age=1)
    by_hand = drop(tmp_path, "mixed.jsonl", INCIDENT, "not json", {"schema": "delivery.incident/v9"}, age=2)
    drop(tmp_path, ".push-in-progress.jsonl", "half a li", age=3)  # a push not yet renamed: not read
    assert extract(tmp_path, "r1") == {"deployments": 1, "incidents": 1, "files": 2}
    summary = load(tmp_path)
    assert (summary.inserted, summary.quarantined) == (4, 3)
    assert query(tmp_path, "select stream, reason from raw._quarantine order by reason") == [
        ("deployments", f"{pushed} line 2, field sha: got 'nope', expected a commit sha: 7 to 40 hex digits"),
        ("files", f"{by_hand} line 2: not valid JSON (Expecting value at column 1); expected one JSON object per line"),
        (
            "files",
            f"{by_hand} line 3, field schema: got 'delivery.incident/v9', expected delivery.deployment/v1 or "
            "delivery.incident/v1 (closest: delivery.incident/v1)",
        ),
    ]
    assert query(
        tmp_path, "select record_id, payload ->> '$.event.sha', payload ->> '$.line' from raw.events__deployments"
    ) == [("d-1", "3F9A2C1", "1")]

    assert extract(tmp_path, "r2") == {"deployments": 0, "incidents": 0, "files": 0}  # nothing new: nothing lands
    again = load(tmp_path)
    assert (again.files, again.inserted, again.quarantined) == (0, 0, 0)
    assert query(tmp_path, "select count(*) from raw._quarantine") == [(3,)]


def test_a_file_landed_but_not_yet_loaded_is_landed_again_and_nothing_doubles(tmp_path):
    drop(tmp_path, "a.jsonl", DEPLOY)
    extract(tmp_path, "r1")  # killed before load: the cursor did not move
    assert extract(tmp_path, "r2")["deployments"] == 1
    load(tmp_path)
    assert query(tmp_path, "select count(*) from raw.events__deployments") == [(1,)]


def test_a_corrected_event_supersedes_the_earlier_one_in_staging(tmp_path):
    drop(tmp_path, "first.jsonl", DEPLOY, INCIDENT, age=1)
    extract(tmp_path, "r1")
    load(tmp_path)
    drop(tmp_path, "second.jsonl", DONE, {**INCIDENT, "resolved_at": "2026-01-05T16:00:00Z"}, age=2)
    # within one run the later line wins too: d-2 goes in_progress -> failure in one file
    drop(
        tmp_path,
        "third.jsonl",
        {**DEPLOY, "id": "d-2"},
        {**DEPLOY, "id": "d-2", "status": "failure", "finished_at": "2026-01-05T14:05:00Z"},
        age=3,
    )
    assert extract(tmp_path, "r2") == {"deployments": 3, "incidents": 1, "files": 2}
    load(tmp_path)
    build_staging(tmp_path)
    assert query(
        tmp_path,
        """select event_id, service, repository, environment, commit_sha, started_at,
                                     finished_at, status, url, schema_version, has_required_values
                              from staging.stg_events__deployments order by event_id""",
    ) == [
        (
            "d-1",
            "checkout",
            None,
            "production",
            "3f9a2c1",
            dt.datetime(2026, 1, 5, 13, 3),
            dt.datetime(2026, 1, 5, 13, 9),
            "success",
            "https://cd.example/1",
            1,
            True,
        ),
        (
            "d-2",
            "checkout",
            None,
            "production",
            "3f9a2c1",
            dt.datetime(2026, 1, 5, 13, 3),
            dt.datetime(2026, 1, 5, 14, 5),
            "failure",
            None,
            1,
            True,
        ),
    ]
    assert query(
        tmp_path,
        """select event_id, urgency, started_at, resolved_at, deployment_event_id, commit_sha
                              from staging.stg_events__incidents""",
    ) == [("i-1", "high", dt.datetime(2026, 1, 5, 15), dt.datetime(2026, 1, 5, 16), "d-1", "3f9a2c1")]
