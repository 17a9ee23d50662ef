"""The GitHub extractor against GitHub's own recorded responses (octokit fixtures), replayed on loopback."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from urllib.parse import parse_qs, urlsplit

from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github.source import extract_repository, make_session
from tests.conformance.vendor import vendor_json
from tests.scripted_server import ScriptedServer


def test_link_pagination_of_recorded_issue_pages_lands_every_issue(tmp_path):
    recording = vendor_json("github", "octokit-paginate-issues.json")
    pages = {int(parse_qs(urlsplit(r["path"]).query).get("page", ["1"])[0]): r for r in recording}

    def replay(path, query, headers):
        entry = pages[int(query.get("page", ["1"])[0])]
        link = entry["headers"].get("link", "").replace("https://api.github.com", server.url)
        return entry["status"], {"Link": link}, entry["response"]

    ctx = RunContext(source="github", kind="github", run_id="conformance", landing_dir=tmp_path,
                     window_end=dt.datetime(2100, 1, 1, tzinfo=dt.UTC), cursors=CursorStore(tmp_path / "state"))
    with ScriptedServer(replay) as server:
        counts = extract_repository(make_session(server.url, "t"), ctx, "octokit-fixture-org/paginate-issues",
                                    page_size=3, streams=("issues",))
    expected = [issue["id"] for page in sorted(pages) for issue in pages[page]["response"]]
    assert counts == {"issues": len(expected)} and len(expected) == 13
    landed = next(tmp_path.rglob("*.jsonl.gz"))
    with gzip.open(landed) as handle:
        lines = [json.loads(line) for line in handle]
    assert [line["payload"]["id"] for line in lines] == expected
    assert [line["payload"] for line in lines] == [i for p in sorted(pages) for i in pages[p]["response"]]


def test_jobs_of_the_published_run_example_land_as_received_under_their_run(tmp_path):
    examples = vendor_json("github", "openapi-examples.json")
    runs, jobs = examples["workflow-run-paginated"], examples["job-paginated"]
    run_id = runs["workflow_runs"][0]["id"]

    def serve(path, query, headers):
        if path.endswith("/actions/runs"):
            return 200, {}, runs
        if path.endswith(f"/actions/runs/{run_id}/jobs") and query.get("filter") == ["all"]:
            return 200, {}, jobs
        return 404, {}, {"message": "Not Found"}

    ctx = RunContext(source="github", kind="github", run_id="conformance", landing_dir=tmp_path,
                     window_end=dt.datetime(2100, 1, 1, tzinfo=dt.UTC), cursors=CursorStore(tmp_path / "state"))
    with ScriptedServer(serve) as server:
        counts = extract_repository(make_session(server.url, "t"), ctx, "octo-org/octo-repo",
                                    streams=("workflow_runs", "workflow_jobs"))
    assert counts == {"workflow_runs": 1, "workflow_jobs": len(jobs["jobs"])}
    with gzip.open(next(tmp_path.rglob("workflow_jobs/*/*.jsonl.gz"))) as handle:
        lines = [json.loads(line) for line in handle]
    assert [(line["record_id"], line["parent_id"]) for line in lines] == [
        (str(job["id"]), str(run_id)) for job in jobs["jobs"]
    ]
    assert [line["payload"] for line in lines] == jobs["jobs"]
