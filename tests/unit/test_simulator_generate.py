"""Generation: determinism, the reuse marker, org.json and the pipeline config."""

import json
import sqlite3

import pytest
import yaml

from simulator import generate, write_pipeline_config


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    a = generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("a"))
    b = generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("b"))
    return a, b


def _shas(out_dir):
    with sqlite3.connect(out_dir / "org.sqlite") as conn:
        return conn.execute("SELECT repo_id, sha, tree_sha FROM commits ORDER BY 1, 2").fetchall()


def test_same_seed_gives_identical_shas_and_ground_truth(two_runs):
    a, b = two_runs
    assert _shas(a) == _shas(b)
    assert (a / "ground_truth.json").read_bytes() == (b / "ground_truth.json").read_bytes()
    assert (a / "org.json").read_bytes() == (b / "org.json").read_bytes()


def test_different_seed_differs(two_runs, tmp_path):
    c = generate(profile="tiny", seed=8, out_dir=tmp_path / "c")
    assert _shas(c) != _shas(two_runs[0])


def test_marker_skips_regeneration_and_profile_change_regenerates(tmp_path):
    out = generate(profile="tiny", seed=1, out_dir=tmp_path)
    stamp = (out / "org.sqlite").stat().st_mtime_ns
    generate(profile="tiny", seed=1, out_dir=tmp_path)
    assert (out / "org.sqlite").stat().st_mtime_ns == stamp
    generate(profile="tiny", seed=2, out_dir=tmp_path)
    assert json.loads((out / "ground_truth.json").read_text())["seed"] == 2


def test_org_json_describes_demo(two_runs):
    org = json.loads((two_runs[0] / "org.json").read_text())
    assert org["org"] == "acme" and org["window"]["start"] == "2026-01-05T00:00:00Z"
    assert len(org["teams"]) == 3
    assert all(len(t["members"]) == 10 and len(t["repositories"]) == 2 for t in org["teams"])
    adoption = sorted((t["ai_adoption_week"] is None, t["ai_adoption_week"]) for t in org["teams"])
    assert adoption[-1] == (True, None)  # one team never adopts
    member = org["teams"][0]["members"][0]
    assert member["email"].endswith("@acme.test")
    assert member["aliases"] == [f"{member['aliases'][0].split('+')[0]}+{member['github']}@users.noreply.github.com"]


def test_pipeline_config_matches_contract(two_runs):
    out = two_runs[0]
    path = write_pipeline_config(out, github_base_url="http://127.0.0.1:9999", token_env="SIM_GITHUB_TOKEN")
    cfg = yaml.safe_load(path.read_text())
    github, git, business, events = cfg["sources"]
    assert events == {"name": "deploy_events", "kind": "events", "drop_folder": str(out / "events")}
    assert business["kind"] == "business" and [s["name"] for s in business["scopes"]] == ["finance", "customer"]
    assert github == {"name": "github", "kind": "github", "base_url": "http://127.0.0.1:9999",
                      "token_env": "SIM_GITHUB_TOKEN", "scopes": [{"org": "acme"}]}  # fmt: skip
    assert git["kind"] == "git" and git["name"] == "local_git" and len(git["scopes"]) == 6
    scope = git["scopes"][0]
    assert scope["refs"] == ["main"] and (out / "git" / scope["repository"]).samefile(scope["path"])
    assert cfg["deployments"] == {  # ledger deploys from its Deploy workflow, growth through pushed events and
        "production_environments": ["production", "production-eu"],  # its second repository by publishing
        # releases; checkout-api mirrors its production deploys to a second region
        "rules": [{"repositories": ["acme/ledger-core", "acme/ledger-batch"], "via": "github_actions",
                   "workflow": ".github/workflows/deploy.yml", "branch": "main", "environment": "production"},
                  {"repositories": ["acme/growth-site"], "via": "pushed_events"},
                  {"repositories": ["acme/growth-experiments"], "via": "github_releases", "tag": "v*",
                   "environment": "production"}],
    }  # fmt: skip
    assert {m["key"] for t in cfg["teams"] for m in t["members"]} and len(cfg["teams"]) == 3
    assert set(cfg["teams"][0]["members"][0]) == {"key", "name", "email", "github", "aliases"}
