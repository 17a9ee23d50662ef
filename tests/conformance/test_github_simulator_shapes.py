"""The simulator's GitHub payloads carry every top-level key of GitHub's published examples, so what passes
against the simulator reads the same fields from GitHub. A shape added to the simulator adds its example here."""

from __future__ import annotations

import sqlite3

import pytest
import requests

from simulator import SimServer, generate
from tests.conformance.vendor import vendor_json

AUTH = {"Authorization": "Bearer sim-token"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = generate(profile="tiny", seed=11, out_dir=tmp_path_factory.mktemp("shapes"))
    with SimServer(out, token="sim-token") as srv:
        yield srv, out


def _a_run(out, workflow: str) -> tuple[str, int]:
    with sqlite3.connect(out / "org.sqlite") as conn:
        return conn.execute(
            """SELECT r.full_name, w.id FROM workflow_runs w JOIN repos r ON r.id = w.repo_id
                               WHERE w.name = ? AND w.status = 'completed' LIMIT 1""",
            (workflow,),
        ).fetchone()


@pytest.mark.parametrize("workflow", ["CI", "Deploy"])
def test_simulated_jobs_have_every_key_of_githubs_job_example(server, workflow):
    example = vendor_json("github", "openapi-examples.json")["job-paginated"]
    srv, out = server
    full_name, run_id = _a_run(out, workflow)
    body = requests.get(f"{srv.base_url}/repos/{full_name}/actions/runs/{run_id}/jobs", headers=AUTH,
                        timeout=10).json()  # fmt: skip
    assert set(example) <= set(body)
    vendor_job, sim_job = example["jobs"][0], body["jobs"][0]
    assert set(vendor_job) - set(sim_job) == set()
    assert set(vendor_job["steps"][0]) <= set(sim_job["steps"][0])
    assert all(isinstance(sim_job[key], type(vendor_job[key])) for key in vendor_job if sim_job[key] is not None)
