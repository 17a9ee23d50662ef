"""AI assistance end to end: every pull request's and commit's class, signals and credited team equal the truth.

The simulator emits each signal at known rates (simulator/ai_signals.py) in GitHub's shapes; the warehouse
finds them with the default rules of dbt_project.yml (METRICS.md "AI assistance").
"""

from __future__ import annotations

import json

import duckdb
import pytest

from simulator.truth_ai import SIGNALS

pytestmark = pytest.mark.e2e


def test_ai_assistance_equals_the_truth_for_every_pull_request_and_commit(demo_published, sim_dir):
    truth = json.loads((sim_dir / "ground_truth_ai_pull_requests.json").read_text())
    commit_truth = json.loads((sim_dir / "ground_truth_ai_commits.json").read_text())
    # the comparison covers every class and every rule
    assert {pr["ai_assistance"] for pr in truth.values()} == {"none", "assisted", "agent_authored"}
    assert {s for pr in truth.values() for s in pr["ai_signals"].split(",") if s} == set(SIGNALS)

    with duckdb.connect(str(demo_published), read_only=True) as conn:
        rows = conn.execute("""select pull_request_key, ai_assistance, ai_signals, credited_team_key
                               from marts.fct_pull_requests""").fetchall()  # fmt: skip
        commits = dict(conn.execute("select commit_key, ai_assistance from intermediate.commits").fetchall())
    marts = {key: {"ai_assistance": a, "ai_signals": s, "credited_team_key": t} for key, a, s, t in rows}
    assert sorted(marts) == sorted(truth)
    wrong = [(key, truth[key], marts[key]) for key in sorted(truth) if marts[key] != truth[key]]
    assert wrong == [], f"{len(wrong)} pull requests differ, e.g. {wrong[:5]}"

    assert set(commit_truth) <= set(commits)  # every assisted or agent commit on main is there
    expected = {key: commit_truth.get(key, "none") for key in commits}
    wrong_commits = [(key, expected[key], value) for key, value in commits.items() if expected[key] != value]
    assert wrong_commits == [], f"{len(wrong_commits)} commits differ, e.g. {wrong_commits[:5]}"
