"""The simulator's deploy tool events: valid by the events kind's own checks, and the truth's deployments."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing

import pytest
import yaml

from extractors.events.lines import check_file
from simulator import generate, write_pipeline_config
from simulator.timeutil import iso


@pytest.fixture(scope="module")
def sim_dir(tmp_path_factory):
    return generate(profile="tiny", seed=7, out_dir=tmp_path_factory.mktemp("sim") / "tiny")


def test_every_event_passes_the_events_checks(sim_dir):
    path = sim_dir / "events" / "deployments.jsonl"
    checked = check_file(path.name, path.read_bytes(), only_schema="delivery.deployment/v1")
    assert checked and [line.problems for line in checked if line.problems] == []


def test_the_events_are_the_pushing_teams_deployments(sim_dir):
    events = [json.loads(line) for line in (sim_dir / "events" / "deployments.jsonl").read_text().splitlines()]
    with closing(sqlite3.connect(sim_dir / "org.sqlite")) as db:
        truth = {
            f"deploy-{dep_id}": (repo, env, sha, iso(done))
            for dep_id, repo, env, sha, done in db.execute(
                """SELECT d.id, r.full_name, d.environment, d.sha,
                          (SELECT min(s.created_at) FROM deployment_statuses s
                           WHERE s.deployment_id = d.id AND s.state IN ('success', 'failure'))
                   FROM deployments d JOIN repos r ON r.id = d.repo_id WHERE r.deploys_via = 'pushed_events'"""
            )
        }
        teams = {
            team for (team,) in db.execute("SELECT DISTINCT team_key FROM repos WHERE deploys_via = 'pushed_events'")
        }
    assert teams == {"growth"}
    found = {e["id"]: (e["repository"], e["environment"], e["sha"], e["finished_at"]) for e in events}
    assert found == truth
    assert {e["environment"] for e in events} == {"production", "staging"}
    assert {e["status"] for e in events} <= {"success", "failure", "in_progress"}


def test_a_monorepos_services_deploy_on_their_own_and_the_config_names_their_paths(sim_dir):
    events = [json.loads(line) for line in (sim_dir / "events" / "deployments.jsonl").read_text().splitlines()]
    weekdays: dict[str, set[int]] = {}
    for e in events:
        if e["repository"] == "acme/growth-site" and e["environment"] == "production":
            weekdays.setdefault(e["service"], set()).add(dt.datetime.fromisoformat(e["started_at"]).weekday())
    assert weekdays == {"growth-web": {1}, "growth-api": {2}, "growth-jobs": {3}}
    config = yaml.safe_load(write_pipeline_config(sim_dir).read_text())
    named = {s["name"]: (s["repository"], s["paths"]) for s in config["services"] if "name" in s}
    assert named["growth-api"] == ("acme/growth-site", ["src/api/*", "src/auth/*", "src/billing/*"])
    assert set(named) == set(weekdays)
    with closing(sqlite3.connect(sim_dir / "org.sqlite")) as db:
        services = {s for (s,) in db.execute(
            "SELECT DISTINCT p.service FROM pulls p JOIN repos r ON r.id = p.repo_id WHERE r.name = 'growth-site'")}
    assert services == set(weekdays)  # every pull request belongs to one of them


def test_the_pushing_teams_incidents_are_events_naming_their_cause(sim_dir):
    path = sim_dir / "events" / "incidents.jsonl"
    checked = check_file(path.name, path.read_bytes(), only_schema="delivery.incident/v1")
    assert checked and [line.problems for line in checked if line.problems] == []
    events = {e["id"]: e for e in map(json.loads, path.read_text().splitlines())}
    with closing(sqlite3.connect(sim_dir / "org.sqlite")) as db:
        caused = {
            f"incident-{inc_id}": service
            for inc_id, service in db.execute(
                """SELECT i.id, d.service FROM incidents i JOIN repos r ON r.id = i.repo_id
                   LEFT JOIN deployments d ON d.id = i.truth_deployment_id WHERE r.deploys_via = 'pushed_events'"""
            )
        }
    assert set(events) == set(caused)
    # a monorepo's incident names its cause's service; one without a cause, the repository
    assert all(events[i]["service"] == (service or "growth-site") for i, service in caused.items())
    assert {e["deployment_id"] for e in events.values() if "deployment_id" in e} <= {
        e["id"] for e in map(json.loads, (sim_dir / "events" / "deployments.jsonl").read_text().splitlines())
    }
