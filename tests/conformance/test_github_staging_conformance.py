"""GitHub's published payloads (OpenAPI examples, octokit recordings) load into raw and parse into staging
without loss: every record arrives, keyed by its id, with the fields staging promises parsed from it."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractors.core.landing import LandingWriter
from extractors.core.loader import load_landing
from extractors.core.registry import streams_by_kind
from extractors.core.state import CursorStore
from tests.conformance.vendor import vendor_json
from tests.conftest import PROJECT_DIR

REPO = "octocat/Hello-World"
# (example, stream, record-id field, parent id, staging model, id column, {staging column: payload path})
CASES = [
    ("pull-request-simple-items", "pull_requests", "id", None, "stg_github__pull_requests", "pull_request_id",
     {"pull_request_number": ("number",), "author_login": ("user", "login"), "head_ref": ("head", "ref"),
      "merge_commit_sha": ("merge_commit_sha",)}),
    ("pull-request-review-items", "pull_request_reviews", "id", 1347, "stg_github__pull_request_reviews",
     "review_id", {"review_state": ("state", str.upper), "commit_sha": ("commit_id",)}),
    ("deployment-items", "deployments", "id", None, "stg_github__deployments", "deployment_id",
     {"environment": ("environment",), "commit_sha": ("sha",)}),
    ("deployment-status-items", "deployment_statuses", "id", 42, "stg_github__deployment_statuses",
     "deployment_status_id", {"status_state": ("state", str.lower)}),
    ("release-items", "releases", "id", None, "stg_github__releases", "release_id",
     {"tag_name": ("tag_name",), "is_draft": ("draft",), "is_prerelease": ("prerelease",),
      "target_commitish": ("target_commitish",)}),
    ("issue-simple-items", "issues", "id", None, "stg_github__issues", "issue_id", {"issue_number": ("number",)}),
    ("workflow-run-paginated", "workflow_runs", "id", None, "stg_github__workflow_runs", "workflow_run_id",
     {"head_sha": ("head_sha",), "conclusion": ("conclusion",)}),
    ("commit", "commits", "sha", None, "stg_github__commits", "commit_sha", {}),
    ("job-paginated", "workflow_jobs", "id", 29679449, "stg_github__workflow_jobs", "workflow_job_id",
     {"workflow_run_id": ("run_id",), "job_name": ("name",), "head_sha": ("head_sha",), "status": ("status",),
      "conclusion": ("conclusion",)}),
]
ITEMS_KEYS = {"workflow-run-paginated": "workflow_runs", "job-paginated": "jobs"}  # list bodies under a key


def _records(examples: dict, name: str) -> list[dict]:
    body = examples[name]
    if name in ITEMS_KEYS:
        return body[ITEMS_KEYS[name]]
    return body if isinstance(body, list) else [body]


def _dig(payload: dict, path: tuple):
    """Follow keys; a trailing callable is the normalisation staging applies (e.g. upper-case states)."""
    for key in path:
        payload = key(payload) if callable(key) else payload.get(key) if isinstance(payload, dict) else None
    return payload


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    examples = vendor_json("github", "openapi-examples.json")
    repository = vendor_json("github", "octokit-get-repository.json")[0]["response"]
    issues = [i for r in vendor_json("github", "octokit-paginate-issues.json") for i in r["response"]]
    root = tmp_path_factory.mktemp("conformance")
    for name, stream, key, parent, *_ in CASES:
        writer = LandingWriter(root / "landing", "github", "github", stream, REPO, "vendor")
        for record in _records(examples, name):
            writer.write(record[key], record, parent_id=parent)
        if stream == "issues":
            for issue in issues:
                writer.write(issue["id"], issue)
        writer.commit()
    writer = LandingWriter(root / "landing", "github", "github", "repositories", "octokit-fixture-org", "vendor")
    writer.write(repository["id"], repository)
    writer.commit()
    database = root / "warehouse.duckdb"
    with duckdb.connect(str(database)) as conn:
        load_landing(conn, root / "landing", CursorStore(root / "state"), streams_by_kind())
    dbt = Path(sys.executable).with_name("dbt")
    result = subprocess.run(
        [str(dbt), "build", "--select", "staging", "--project-dir", str(PROJECT_DIR / "dbt_project"),
         "--profiles-dir", str(PROJECT_DIR / "dbt_project"), "--target-path", str(root / "target"),
         "--log-path", str(root / "logs")],
        env={"DELIVERY_DUCKDB_PATH": str(database), "PATH": "/usr/bin:/bin", "HOME": str(root)},
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    return database, examples, issues, repository


@pytest.mark.parametrize("case", CASES, ids=[c[1] for c in CASES])
def test_every_payload_reaches_staging_with_its_fields(staged, case):
    database, examples, issues, _ = staged
    name, stream, key, _, model, id_column, fields = case
    records = _records(examples, name) + (issues if stream == "issues" else [])
    columns = ", ".join([id_column, *fields])
    with duckdb.connect(str(database), read_only=True) as conn:
        rows = conn.execute(f"select {columns} from staging.{model}").fetchall()
    by_id = {str(row[0]): row[1:] for row in rows}
    assert set(by_id) == {str(r[key]) for r in records}, f"{model} lost or invented records"
    for record in records:
        parsed = by_id[str(record[key])]
        for (column, path), value in zip(fields.items(), parsed, strict=True):
            assert value == _dig(record, path), f"{model}.{column} of {record[key]}"


def test_timestamps_become_utc(staged):
    database, examples, _, _ = staged
    pull = examples["pull-request-simple-items"][0]
    with duckdb.connect(str(database), read_only=True) as conn:
        created = conn.execute("select created_at from staging.stg_github__pull_requests").fetchone()[0]
    assert created == dt.datetime.fromisoformat(pull["created_at"].replace("Z", "+00:00")).replace(tzinfo=None)


def test_repository_record_parses(staged):
    database, _, _, repository = staged
    with duckdb.connect(str(database), read_only=True) as conn:
        row = conn.execute("select repository_id from staging.stg_github__repositories").fetchone()
    assert str(row[0]) == str(repository["id"])


def test_job_steps_and_timings_become_utc(staged):
    database, examples, _, _ = staged
    job = examples["job-paginated"]["jobs"][0]
    with duckdb.connect(str(database), read_only=True) as conn:
        row = conn.execute("""select started_at, run_seconds, queue_seconds, steps
                              from staging.stg_github__workflow_jobs""").fetchone()
    started_at, run_seconds, queue_seconds, steps = row
    utc = [dt.datetime.fromisoformat(s["started_at"]).astimezone(dt.UTC).replace(tzinfo=None) for s in job["steps"]]
    assert started_at == dt.datetime(2020, 1, 20, 17, 42, 40) and run_seconds == 119
    assert queue_seconds is None  # the example predates created_at: no queue time rather than a wrong one
    assert [(s["step_number"], s["step_name"], s["started_at"]) for s in steps] == [
        (s["number"], s["name"], at) for s, at in zip(job["steps"], utc, strict=True)
    ]
