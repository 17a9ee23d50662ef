"""Work items (Jira-like) and incidents (PagerDuty-like): links to PRs and deployments, timing, determinism."""

import json
import re
import sqlite3

import pytest

from simulator import generate
from simulator.org import project_key

NEW_TABLES = ("work_projects", "work_items", "work_item_transitions", "incidents", "incident_log_entries")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("work"))


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    yield conn
    conn.close()


def _window_end(db) -> int:
    from simulator.timeutil import parse_iso

    return parse_iso(db.execute("SELECT value FROM meta WHERE key = 'window_end'").fetchone()[0])


def test_project_keys():
    used: set[str] = set()
    assert [project_key(n, used) for n in ("Checkout", "Ledger", "Growth", "Team 007")] == [
        "CHK", "LDG", "GRW", "TM007"]  # fmt: skip
    assert project_key("Checkout", used) == "CHK2"


def test_work_item_keys_appear_in_pr_titles_and_branches(db):
    rows = db.execute(
        """SELECT w.key, w.project_key, wp.team_key, r.team_key, p.title, p.head_ref
           FROM work_items w JOIN pulls p ON p.repo_id = w.repo_id AND p.number = w.pr_number
           JOIN repos r ON r.id = w.repo_id JOIN work_projects wp ON wp.key = w.project_key"""
    ).fetchall()
    assert rows
    for key, project, project_team, repo_team, title, branch in rows:
        assert re.fullmatch(r"[A-Z][A-Z0-9]*-\d+", key) and key.startswith(project + "-")
        assert project_team == repo_team
        assert title.startswith(f"{key}: ")
        assert re.search(rf"(^|/){key.lower()}-[a-z0-9-]+$", branch)
    pulls = db.execute("SELECT count(*) FROM pulls").fetchone()[0]
    assert 0.75 < len(rows) / pulls < 0.95  # most PRs implement one work item
    keys = [r[0] for r in db.execute("SELECT key FROM work_items")]
    assert len(keys) == len(set(keys))
    # A PR implements at most one item, and an unlinked PR carries no key.
    assert db.execute("SELECT count(*) FROM pulls WHERE title GLOB '[A-Z]*-[0-9]*: *'").fetchone()[0] == len(rows)


def test_about_a_third_of_linked_commits_mention_the_key(db):
    rows = db.execute(
        """SELECT w.key, c.message FROM work_items w
           JOIN pull_commits pc ON pc.repo_id = w.repo_id AND pc.number = w.pr_number
           JOIN commits c ON c.repo_id = pc.repo_id AND c.sha = pc.sha"""
    ).fetchall()
    share = sum(re.search(rf"\b{key}\b", msg) is not None for key, msg in rows) / len(rows)
    assert 0.22 < share < 0.38
    merges = db.execute(
        """SELECT w.key, c.message FROM work_items w
           JOIN pulls p ON p.repo_id = w.repo_id AND p.number = w.pr_number
           JOIN commits c ON c.repo_id = p.repo_id AND c.sha = p.merge_sha"""
    ).fetchall()
    assert merges and all(key in msg for key, msg in merges)


def test_work_item_timing_is_consistent_with_its_pr(db):
    end = _window_end(db)
    transitions: dict[int, list] = {}
    for item, seq, before, status, category, at in db.execute(
        "SELECT work_item_id, seq, from_status, to_status, to_category, at FROM work_item_transitions "
        "ORDER BY work_item_id, seq"
    ):
        transitions.setdefault(item, []).append((seq, before, status, category, at))
    categories = {"To Do": "new", "In Progress": "indeterminate", "In Review": "indeterminate", "Done": "done"}
    items = db.execute(
        """SELECT w.id, w.created_at, w.status, w.status_category, w.resolved_at, w.updated_at, p.merged_at,
                  p.closed_at, (SELECT min(c.author_at) FROM pull_commits pc JOIN commits c
                     ON c.repo_id = pc.repo_id AND c.sha = pc.sha
                     WHERE pc.repo_id = w.repo_id AND pc.number = w.pr_number)
           FROM work_items w LEFT JOIN pulls p ON p.repo_id = w.repo_id AND p.number = w.pr_number"""
    ).fetchall()
    assert len(items) == len(transitions)
    for item_id, created, status, category, resolved, updated, merged, closed, first_commit in items:
        history = transitions[item_id]
        assert history[0][1:4] == (None, "To Do", "new") and history[0][4] == created
        assert [h[0] for h in history] == list(range(len(history)))
        assert all(a[4] < b[4] and b[1] == a[2] for a, b in zip(history, history[1:], strict=False))
        assert all(h[3] == categories[h[2]] for h in history) and history[-1][4] < end
        assert (status, category, updated) == (history[-1][2], history[-1][3], history[-1][4])
        assert resolved == (updated if status == "Done" else None)
        if first_commit is None:
            continue
        assert created < first_commit
        started = next(h[4] for h in history if h[2] == "In Progress")
        assert started <= first_commit
        done = [h[4] for h in history if h[2] == "Done"]
        if merged is None:
            assert not done
        else:
            assert len(done) == 1 and done[0] > merged
        if closed and not merged:
            assert status == "To Do"


def test_work_item_fields(db):
    people = {r[0] for r in db.execute("SELECT id FROM people")}
    rows = db.execute(
        """SELECT type, environment, reporter_id, assignee_id, story_points, sprint, labels,
                  (SELECT count(*) FROM work_item_transitions t WHERE t.work_item_id = w.id AND t.to_status != 'To Do')
           FROM work_items w"""
    ).fetchall()
    assert {r[0] for r in rows} == {"Story", "Bug", "Task", "Customer Request"}
    for kind, env, reporter, assignee, points, sprint, labels, started in rows:
        assert (env in ("production", "staging")) if kind == "Bug" else env is None
        assert reporter in people and assignee in people
        assert points is None or points in (1, 2, 3, 5, 8, 13)
        assert (sprint is None) == (started == 0)  # a sprint once work has started
        assert sprint is None or re.fullmatch(r"[A-Z]+ Sprint \d+", sprint)
        assert json.loads(labels)
    assert {r[1] for r in rows if r[0] == "Bug"} == {"production", "staging"}


def test_incidents_are_on_repositories_and_point_at_real_deployments(db):
    rows = db.execute(
        """SELECT i.id, i.created_at, i.deployment_id, i.deployment_sha, i.truth_deployment_id, r.id IS NOT NULL,
                  r.full_name = i.service OR i.service IN (SELECT d.service FROM deployments d WHERE d.repo_id = r.id),
                  i.repo_id
           FROM incidents i LEFT JOIN repos r ON r.id = i.repo_id"""
    ).fetchall()
    assert rows and all(r[5] and r[6] for r in rows)

    def success_deploys(repo_id, before):
        return db.execute(
            """SELECT d.id, d.sha FROM deployments d JOIN deployment_statuses s ON s.deployment_id = d.id
               WHERE d.repo_id = ? AND d.environment = 'production' AND s.state = 'success'
               AND s.created_at < ?""",
            (repo_id, before),
        ).fetchall()

    explicit = 0
    for _, created, dep_id, sha, truth, _, _, repo in rows:
        ok = success_deploys(repo, created)
        if dep_id is not None:
            explicit += 1
            assert dep_id == truth and dep_id in {d for d, _ in ok}
        if sha is not None:
            explicit += 1
            assert sha in {s for _, s in ok} and dep_id is None
        if truth is not None:
            assert truth in {d for d, _ in ok}
    assert 0 < explicit < len(rows)
    assert any(r[4] is None for r in rows)  # a few are unrelated to any deployment
    numbers = [n for (n,) in db.execute("SELECT number FROM incidents ORDER BY created_at, id")]
    assert numbers == list(range(1, len(rows) + 1))


def test_slow_team_has_most_deploy_incidents(db):
    by_team = dict(db.execute(
        """SELECT t.delivery, count(*) FROM incidents i JOIN repos r ON r.id = i.repo_id
           JOIN teams t ON t.key = r.team_key WHERE i.truth_deployment_id IS NOT NULL GROUP BY 1"""
    ).fetchall())  # fmt: skip
    assert by_team["slow"] > by_team["good"] and by_team["slow"] > by_team.get("medium", 0)


def test_incident_log_entries(db):
    end = _window_end(db)
    people = {r[0] for r in db.execute("SELECT id FROM people")}
    for inc_id, created, acked, resolved, status, escalated in db.execute(
        "SELECT id, created_at, acknowledged_at, resolved_at, status, escalated FROM incidents"
    ).fetchall():
        log = db.execute(
            "SELECT type, created_at, agent_id FROM incident_log_entries WHERE incident_id = ? ORDER BY id",
            (inc_id,),
        ).fetchall()
        assert log[0][:2] == ("trigger_log_entry", created)
        assert [t for _, t, _ in log] == sorted(t for _, t, _ in log) and log[-1][1] < end
        kinds = {k: (t, a) for k, t, a in log}
        assert kinds.get("acknowledge_log_entry", (None,))[0] == acked
        assert kinds.get("resolve_log_entry", (None,))[0] == resolved
        assert bool(escalated) == ("escalate_log_entry" in kinds)
        assert status == ("resolved" if resolved else "acknowledged" if acked else "triggered")
        assert all(a in people for k, _, a in log if k in ("acknowledge_log_entry", "resolve_log_entry"))


def test_counts_in_org_json(out, db):
    org = json.loads((out / "org.json").read_text())
    assert org["counts"] == {
        "work_items": db.execute("SELECT count(*) FROM work_items").fetchone()[0],
        "incidents": db.execute("SELECT count(*) FROM incidents").fetchone()[0],
    }
    assert [t["work_project"] for t in org["teams"]] == ["CHK", "LDG", "GRW"]


def test_work_items_and_incidents_are_deterministic(tmp_path):
    a = generate(profile="tiny", seed=3, out_dir=tmp_path / "a")
    b = generate(profile="tiny", seed=3, out_dir=tmp_path / "b")

    def dump(path):
        with sqlite3.connect(path / "org.sqlite") as conn:
            tables = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in NEW_TABLES}
            tables["commits"] = conn.execute("SELECT sha, message FROM commits ORDER BY 1").fetchall()
            return tables

    da, db_ = dump(a), dump(b)
    assert da["work_items"] and da == db_
