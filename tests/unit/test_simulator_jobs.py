"""The simulator's workflow jobs: deterministic, timed within their run, failures carried to a job, cut like
the runs, and served in GitHub's shape with Link paging."""

import json
import sqlite3

import pytest
import requests

from simulator import SimServer, generate
from simulator.jobs import job_rows, plan_jobs

AUTH = {"Authorization": "Bearer sim-token"}
RUN_ID, SHA, CREATED = 150000007, "ab" * 20, 1_772_000_000


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="tiny", seed=3, out_dir=tmp_path_factory.mktemp("jobs"))


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def test_every_run_has_its_jobs_and_the_last_job_ends_with_the_run(db):
    runs = {r["id"]: r for r in db.execute("SELECT * FROM workflow_runs")}
    jobs: dict[int, list] = {}
    for job in db.execute("SELECT * FROM workflow_jobs ORDER BY id"):
        jobs.setdefault(job["run_id"], []).append(job)
    assert set(jobs) == set(runs)
    for run_id, run in runs.items():
        names = [job["name"] for job in jobs[run_id]]
        assert names == (["build", "test"] if run["name"] == "CI" else ["deploy"])
        for job in jobs[run_id]:
            assert run["created_at"] <= job["created_at"] <= job["started_at"] <= job["completed_at"]
            assert job["completed_at"] <= run["updated_at"]
        assert jobs[run_id][-1]["completed_at"] == run["updated_at"]


def test_a_failed_run_has_one_failed_job_and_a_successful_run_none(db):
    rows = db.execute("""SELECT w.conclusion AS run, sum(j.conclusion = 'failure') AS failed FROM workflow_runs w
                         JOIN workflow_jobs j ON j.run_id = w.id GROUP BY w.id""").fetchall()
    assert {(r["run"], r["failed"]) for r in rows} == {("success", 0), ("failure", 1)}


def test_a_deploy_job_names_its_environment_in_a_step(db):
    steps = db.execute("""SELECT j.steps, d.environment FROM workflow_jobs j JOIN workflow_runs w ON w.id = j.run_id
                          JOIN deployments d ON d.sha = w.head_sha AND d.created_at BETWEEN w.created_at AND
                          w.updated_at WHERE j.name = 'deploy'""").fetchall()
    assert steps and {r["environment"] for r in steps} == {"production", "production-eu", "staging"}
    for row in steps:
        assert f"Deploy to {row['environment']}" in [step["name"] for step in json.loads(row["steps"])]


def test_the_plan_is_deterministic_and_steps_tile_the_job():
    first = plan_jobs(RUN_ID, "CI", False, CREATED, CREATED + 400, SHA, "")
    assert first == plan_jobs(RUN_ID, "CI", False, CREATED, CREATED + 400, SHA, "")
    assert first != plan_jobs(RUN_ID, "CI", False, CREATED, CREATED + 400, "cd" * 20, "")
    for job in first:
        if job.steps:
            assert job.steps[0].started == job.started and job.steps[-1].completed == job.completed
            assert all(a.completed == b.started for a, b in zip(job.steps, job.steps[1:], strict=False))
            assert [s.conclusion for s in job.steps].count("failure") == (job.conclusion == "failure")


def test_at_the_cut_a_job_not_started_is_queued_and_one_not_finished_in_progress():
    build, test = plan_jobs(RUN_ID, "CI", True, CREATED, CREATED + 400, SHA, "")
    queued = job_rows(1, RUN_ID, "CI", True, CREATED, CREATED + 400, SHA, "", build.started)
    assert [(r[4], r[5], r[8], r[10], json.loads(r[12])) for r in queued] == [("build", "queued", None, None, [])]
    running = job_rows(1, RUN_ID, "CI", True, CREATED, CREATED + 400, SHA, "", test.steps[2].started + 1)
    assert [(r[4], r[5], r[6]) for r in running] == [("build", "completed", "success"), ("test", "in_progress", None)]
    steps = json.loads(running[1][12])
    assert steps[0]["status"] == "completed" and steps[-1]["status"] == "queued" and steps[-1]["started_at"] is None
    assert running[1][9] is None and running[1][10] is not None  # no completed_at yet; a runner has it
    whole = job_rows(1, RUN_ID, "CI", True, CREATED, CREATED + 400, SHA, "", CREATED + 10_000)
    assert [r[2] for r in running] == [r[2] for r in whole]  # the same ids at every cut


def test_jobs_are_served_in_githubs_shape_and_paged(out, db):
    run = db.execute("""SELECT w.id, r.full_name FROM workflow_runs w JOIN repos r ON r.id = w.repo_id
                        WHERE w.name = 'CI' LIMIT 1""").fetchone()
    with SimServer(out, token="sim-token") as server, requests.Session() as http:
        http.headers.update(AUTH)
        url = f"{server.base_url}/repos/{run['full_name']}/actions/runs/{run['id']}/jobs"
        first = http.get(url, params={"per_page": 1, "filter": "all"}, timeout=10)
        second = http.get(first.links["next"]["url"], timeout=10)
        assert first.status_code == 200 and first.json()["total_count"] == 2 and "last" in first.links
        jobs = first.json()["jobs"] + second.json()["jobs"]
        assert [job["name"] for job in jobs] == ["build", "test"] and "next" not in second.links
        assert {job["run_id"] for job in jobs} == {run["id"]} and jobs[0]["workflow_name"] == "CI"
        assert "x-ratelimit-remaining" in first.headers
        assert http.get(url, params={"filter": "none"}, timeout=10).status_code == 422
        other = f"{server.base_url}/repos/{run['full_name']}/actions/runs/1/jobs"
        assert http.get(other, timeout=10).status_code == 404
        server.set_faults([{"kind": "server_error", "path_regex": "/jobs", "times": 1}])
        assert http.get(url, timeout=10).status_code == 502
        assert http.get(url, timeout=10).status_code == 200
