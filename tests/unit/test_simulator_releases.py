"""The demo's release repository (simulator/delivery.py RELEASE_REPOSITORIES): its published releases, read by the
GitHub extractor from the simulator over loopback HTTP, are exactly the truth's successful production deployments,
at the sha /tags gives and published when the first success status was; its staging deploys are prereleases. Tiny
has one repository per team and none ships by releases, so this is where that path meets the truth."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing

import pytest

from extractors.core.state import CursorStore
from extractors.core.streams import RunContext
from extractors.github.source import extract_repository, make_session
from simulator import SIM_TOKEN, SimServer, generate
from simulator.timeutil import iso
from tests.landing_helpers import landed

REPO = "acme/growth-experiments"


@pytest.fixture(scope="module")
def sim_dir(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("sim") / "demo")


@pytest.fixture(scope="module")
def extracted(sim_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("extract")
    until = dt.datetime.fromisoformat(json.loads((sim_dir / "org.json").read_text())["window"]["observed_until"])
    ctx = RunContext(source="gh", kind="github", run_id="r1", window_end=until, landing_dir=root / "landing",
                     cursors=CursorStore(root / "state"))  # fmt: skip
    with SimServer(sim_dir, token=SIM_TOKEN) as server:
        counts = extract_repository(make_session(server.base_url, SIM_TOKEN), ctx, REPO, streams=("releases", "tags"))
        paths = [entry["path"] for entry in server.request_log()]
    return counts, paths, [r["payload"] for r in landed(root, "releases")], [r["payload"] for r in landed(root, "tags")]


def test_published_releases_are_the_truths_production_deployments(sim_dir, extracted):
    _, _, releases, tags = extracted
    with closing(sqlite3.connect(sim_dir / "org.sqlite")) as db:
        truth = sorted(db.execute(
            """SELECT d.sha, min(s.created_at) FROM deployments d JOIN repos r ON r.id = d.repo_id
               JOIN deployment_statuses s ON s.deployment_id = d.id AND s.state = 'success'
               WHERE r.full_name = ? AND d.environment = 'production' GROUP BY d.id""", (REPO,)))  # fmt: skip
        failed = db.execute(
            """SELECT count(*) FROM deployments d JOIN repos r ON r.id = d.repo_id
               JOIN deployment_statuses s ON s.deployment_id = d.id AND s.state IN ('failure', 'error')
               WHERE r.full_name = ?""", (REPO,)).fetchone()[0]  # fmt: skip
    sha = {tag["name"]: tag["commit"]["sha"] for tag in tags}
    published = [r for r in releases if not r["draft"] and not r["prerelease"]]
    assert truth and failed == 0  # a failed release build publishes nothing: no failed attempts to count
    assert sorted((sha[r["tag_name"]], r["published_at"]) for r in published) == [(s, iso(at)) for s, at in truth]
    assert all(r["tag_name"].startswith("v") and "-rc." not in r["tag_name"] for r in published)
    prereleases = [r for r in releases if r["prerelease"]]
    assert prereleases and all(r["tag_name"].endswith("-rc.1") for r in prereleases)
    assert all(r["target_commitish"] == "main" for r in releases)  # a branch: only the tag says which commit


def test_tags_are_one_request_after_the_releases(extracted):
    counts, paths, releases, tags = extracted
    assert paths == [f"/repos/{REPO}/releases", f"/repos/{REPO}/tags"]
    assert counts == {"releases": len(releases), "tags": len(tags)} and len(tags) == len(releases) < 100


def test_only_growths_second_repository_ships_by_releases(sim_dir):
    with closing(sqlite3.connect(sim_dir / "org.sqlite")) as db:
        via = dict(db.execute("SELECT full_name, deploys_via FROM repos"))
    assert [repo for repo, way in via.items() if way == "releases"] == [REPO]
    assert via["acme/growth-site"] == "pushed_events"  # the team's other repository keeps its path
