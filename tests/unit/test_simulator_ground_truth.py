"""ground_truth.json: internal consistency, an independent git-based lead-time check, the story."""

import json
import random
import sqlite3
import subprocess
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from simulator import generate
from simulator.quantile import quantile_cont


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("truth"))


@pytest.fixture(scope="module")
def truth(out):
    return json.loads((out / "ground_truth.json").read_text())


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    yield conn
    conn.close()


def week(ts: int) -> str:
    d = datetime.fromtimestamp(ts, UTC).date()
    return (d - timedelta(days=d.weekday())).isoformat()


def test_quantile_matches_duckdb_quantile_cont():
    duckdb = pytest.importorskip("duckdb")
    rng = random.Random(1)
    for n in (1, 2, 3, 4, 7, 20):
        values = [round(rng.uniform(0, 100), 3) for _ in range(n)]
        for q in (0.5, 0.85):
            sql = f"SELECT quantile_cont(x, {q}) FROM unnest({values}::DOUBLE[]) t(x)"
            expected = duckdb.sql(sql).fetchone()[0]
            assert quantile_cont(values, q) == pytest.approx(float(expected))
    assert quantile_cont([1, 2, 3, 4], 0.85) == pytest.approx(3.55)
    assert quantile_cont([], 0.5) is None


def test_rows_cover_every_team_and_week(truth):
    rows = truth["rows"]
    assert truth["profile"] == "demo" and truth["seed"] == 7
    weeks = sorted({r["week_start"] for r in rows})
    assert len(rows) == len(weeks) * 3
    dates = [datetime.fromisoformat(w) for w in weeks]
    steps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
    assert steps == {7}
    # METRICS.md "Weeks": the code and deployment sources cover the simulated window's 26 weeks (the delivery
    # span); the grid reaches further only for tracker facts, such as backlog bugs filed before the window.
    code = ("deployments", "deployment_attempts", "commits", "prs_opened", "prs_merged", "reviews_given")
    delivery = sorted({r["week_start"] for r in rows if any(r[c] for c in code)})
    span = [w for w in weeks if delivery[0] <= w <= delivery[-1]]
    assert delivery[0] == "2026-01-05" and len(span) == 26
    tracker = ("bugs", "incidents", "work_items_resolved")
    for edge in (weeks[0], weeks[-1]):  # the grid ends at a fact, not beyond
        assert any(r[c] for r in rows if r["week_start"] == edge for c in code + tracker)
    # The activity and DORA columns; test_simulator_ground_truth_outcomes.py checks the outcome columns.
    assert all({"team_key", "week_start", "deployments", "deploy_days", "lead_time_p50_hours",
                "lead_time_p85_hours", "commits", "lines_added", "lines_deleted", "prs_opened",
                "prs_merged", "reviews_given"} <= set(r) for r in rows)  # fmt: skip


def test_totals_match_org_sqlite(truth, db):
    total = defaultdict(int)
    for r in truth["rows"]:
        for k in ("deployments", "commits", "lines_added", "prs_opened", "prs_merged", "reviews_given"):
            total[k] += r[k]
    deployments = db.execute(
        """SELECT count(DISTINCT d.id) FROM deployments d JOIN deployment_statuses s ON s.deployment_id = d.id
           WHERE d.environment = 'production' AND s.state = 'success'"""
    ).fetchone()[0]
    failed = db.execute(
        "SELECT count(*) FROM deployment_statuses WHERE state = 'failure' AND environment = 'production'"
    ).fetchone()[0]
    assert total["deployments"] == deployments and failed > 0
    people = "author_id NOT IN (SELECT id FROM bots)"  # a coding agent's commits and PRs are nobody's activity
    assert (total["commits"], total["lines_added"]) == db.execute(
        f"SELECT count(*), sum(additions) FROM commits WHERE on_main = 1 AND is_merge = 0 AND {people}"
    ).fetchone()
    assert total["prs_opened"] == db.execute(f"SELECT count(*) FROM pulls WHERE {people}").fetchone()[0]
    assert total["prs_merged"] == db.execute(
        f"SELECT count(*) FROM pulls WHERE merged_at IS NOT NULL AND {people}"
    ).fetchone()[0]
    own = db.execute(
        "SELECT count(*) FROM reviews v JOIN pulls p USING (repo_id, number) WHERE v.reviewer_id = p.author_id"
    ).fetchone()[0]
    assert own > 0
    assert total["reviews_given"] == db.execute("SELECT count(*) FROM reviews").fetchone()[0] - own


def test_deploy_days_bounded(truth):
    for r in truth["rows"]:
        assert 0 <= r["deploy_days"] <= min(7, r["deployments"])
        if r["lead_time_p50_hours"] is not None:
            assert 0 < r["lead_time_p50_hours"] <= r["lead_time_p85_hours"]


def test_lead_times_agree_with_git_reachability(out, truth, db):
    """Recompute one slow-cadence repository's lead times with `git rev-list` instead of main positions."""
    rid, name, team = db.execute("SELECT id, full_name, team_key FROM repos WHERE name = 'ledger-core'").fetchone()
    deploys = db.execute(
        """SELECT d.sha, min(s.created_at) AS at FROM deployments d
           JOIN deployment_statuses s ON s.deployment_id = d.id AND s.state = 'success'
           WHERE d.repo_id = ? AND d.environment = 'production' GROUP BY d.id ORDER BY at, d.id""",
        (rid,),
    ).fetchall()
    first_author = dict(db.execute(
        """SELECT p.merge_sha, min(c.author_at) FROM pulls p JOIN pull_commits pc USING (repo_id, number)
           JOIN commits c ON c.repo_id = pc.repo_id AND c.sha = pc.sha
           WHERE p.repo_id = ? AND p.merged_at IS NOT NULL GROUP BY p.number""",
        (rid,),
    ).fetchall())  # fmt: skip
    repo = out / "git" / name
    by_week, seen = defaultdict(list), set()
    for (prev_sha, _), (sha, at) in zip(deploys, deploys[1:], strict=False):
        shipped = subprocess.run(["git", "rev-list", "--merges", sha, f"^{prev_sha}"], cwd=repo, check=True,
                                 capture_output=True, text=True).stdout.split()  # fmt: skip
        for merge in shipped:
            if merge in first_author and merge not in seen:
                seen.add(merge)
                by_week[week(at)].append((at - first_author[merge]) / 3600)
    # ledger has a second repository, so compare weeks where only ledger-core shipped changes.
    other = db.execute("SELECT id FROM repos WHERE team_key = ? AND id != ?", (team, rid)).fetchone()[0]
    other_weeks = {week(r[0]) for r in db.execute(
        """SELECT min(s.created_at) FROM deployments d JOIN deployment_statuses s ON s.deployment_id = d.id
           WHERE d.repo_id = ? AND d.environment = 'production' AND s.state = 'success' GROUP BY d.id""",
        (other,))}  # fmt: skip
    rows = {r["week_start"]: r for r in truth["rows"] if r["team_key"] == team}
    checked = 0
    for wk, hours in by_week.items():
        if wk not in other_weeks:
            assert rows[wk]["lead_time_p50_hours"] == pytest.approx(quantile_cont(hours, 0.5))
            assert rows[wk]["lead_time_p85_hours"] == pytest.approx(quantile_cont(hours, 0.85))
            checked += 1
    assert sum(len(h) for h in by_week.values()) > 50
    assert checked > 0 or len(other_weeks) > 0


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values)


def test_story_activity_rises_outcomes_only_where_delivery_is_good(truth, out):
    org = json.loads((out / "org.json").read_text())
    adoption = {t["key"]: t["ai_adoption_week"] for t in org["teams"]}
    by_team = defaultdict(list)
    for r in truth["rows"]:
        if r["week_start"] >= org["window"]["start"][:10]:  # adoption weeks count from the window's first
            by_team[r["team_key"]].append(r)

    def before_after(team, key, lag=3):
        rows, start = by_team[team], adoption[team]
        return _mean([r[key] for r in rows[:start]]), _mean([r[key] for r in rows[start + lag :]])

    for team in ("checkout", "ledger"):
        before, after = before_after(team, "prs_opened")
        assert after > 1.2 * before
    lt_before, lt_after = before_after("checkout", "lead_time_p50_hours")
    assert lt_after < 0.9 * lt_before  # coding was its slow stage: faster (tests/e2e/test_ai_story.py checks the marts)
    lt_before, lt_after = before_after("ledger", "lead_time_p50_hours")
    assert lt_after >= 0.95 * lt_before  # review-bound, and the review queue grows: no improvement


def test_an_untracked_first_deployment_and_the_next_are_unmeasurable(out, truth, db):
    """METRICS.md "Untracked shas": checkout-api's deployments are seen from its second week, the first at a
    sha its history does not hold; that deployment and the next ship unknown changes, every other chain's
    first deployment is the only unmeasurable one."""
    (sha, pos, at), (_, next_pos, _) = db.execute(
        """SELECT d.sha, d.main_pos, min(s.created_at) AS at FROM deployments d JOIN repos r ON r.id = d.repo_id
           JOIN deployment_statuses s ON s.deployment_id = d.id AND s.state = 'success'
           WHERE r.name = 'checkout-api' AND d.environment = 'production' GROUP BY d.id ORDER BY at, d.id LIMIT 2"""
    ).fetchall()
    assert pos is None and next_pos is not None
    found = subprocess.run(["git", "cat-file", "-e", f"{sha}^{{commit}}"], cwd=out / "git" / "acme" / "checkout-api",
                           capture_output=True)  # fmt: skip
    assert found.returncode != 0
    window_start = json.loads((out / "org.json").read_text())["window"]["start"][:10]
    assert week(at) > window_start
    chains = dict(db.execute(
        """SELECT r.team_key, count(DISTINCT d.repo_id || ':' || coalesce(d.service, '')) FROM deployments d
           JOIN repos r ON r.id = d.repo_id WHERE d.environment = 'production' GROUP BY r.team_key"""
    ).fetchall())  # fmt: skip
    unmeasurable = defaultdict(float)
    for r in truth["rows"]:
        if r["change_measurement_coverage"] is not None:
            unmeasurable[r["team_key"]] += r["deployments"] * (1 - r["change_measurement_coverage"])
    assert {team: round(n) for team, n in unmeasurable.items()} == {
        team: n + (team == "checkout") for team, n in chains.items()
    }


def test_a_second_region_mirrors_every_production_deploy_and_counts_once(truth, db):
    """checkout-api deploys each successful production sha to production-eu 15-40 minutes after it finished
    (METRICS.md "One sha in several production environments counts once"): the copies are attempts, not
    deployments."""
    rows = db.execute(
        """SELECT d.environment, d.sha, d.created_at, min(s.created_at) FILTER (WHERE s.state = 'success'),
                  max(s.state IN ('failure', 'error')), r.name
           FROM deployments d JOIN repos r ON r.id = d.repo_id JOIN deployment_statuses s ON s.deployment_id = d.id
           WHERE r.team_key = 'checkout' AND d.environment LIKE 'production%' GROUP BY d.id ORDER BY d.created_at"""
    ).fetchall()
    production = [r for r in rows if r[0] == "production" and r[3] is not None and r[5] == "checkout-api"]
    eu = [r for r in rows if r[0] == "production-eu"]
    assert {r[5] for r in eu} == {"checkout-api"} and any(r[4] for r in eu)  # some copies fail there
    assert 0.9 * len(production) <= len(eu) <= len(production)
    for _, sha, created, *_ in eu:  # the latest production success before it, 15-40 minutes earlier
        original = max((p for p in production if p[3] < created), key=lambda p: p[3])
        assert original[1] == sha and 15 * 60 <= created - original[3] < 40 * 60
    team = [r for r in truth["rows"] if r["team_key"] == "checkout"]
    assert sum(r["deployments"] for r in team) == sum(r[0] == "production" and r[3] is not None for r in rows)
    assert sum(r["deployment_attempts"] for r in team) == sum(r[3] is not None or r[4] for r in rows)


def test_rollbacks_return_production_to_an_older_deployed_commit(truth, db):
    """checkout-api's deploy tool rolls back some deploys to the last older commit production ran: the
    deployment before each rollback is a change failure (METRICS.md "Outcomes")."""
    rows = db.execute(
        """SELECT d.sha, d.main_pos FROM deployments d JOIN repos r ON r.id = d.repo_id
           JOIN deployment_statuses s ON s.deployment_id = d.id AND s.state = 'success'
           WHERE r.name = 'checkout-api' AND d.environment = 'production'
           GROUP BY d.id ORDER BY min(s.created_at), d.id"""
    ).fetchall()
    tracked = [r for r in rows if r[1] is not None]
    rollbacks = [i for i in range(1, len(tracked)) if tracked[i][1] < tracked[i - 1][1]]
    assert len(rollbacks) >= 5
    for i in rollbacks:  # back to the newest commit production ran that is older than the rolled-back one
        older = [pos for _, pos in tracked[:i] if pos < tracked[i - 1][1]]
        assert tracked[i][1] == older[-1]
    failed = sum(r["failed_deployments"] for r in truth["rows"] if r["team_key"] == "checkout")
    assert failed >= len(rollbacks)
