"""The observation cutoff: the same org seen N hours before the window end is a prefix of the full one."""

import json
import sqlite3
import subprocess

import pytest

from simulator import generate
from simulator.__main__ import main
from simulator.timeutil import parse_iso

CUTOFF = 62  # Friday 10:00 UTC: PRs, deployments and work items change in the cut-off hours
KEYS = {
    "repos": "id", "commits": "repo_id, sha", "pulls": "repo_id, number", "pull_commits": "repo_id, number, pos",
    "reviews": "id", "deployments": "id", "deployment_statuses": "id", "workflow_runs": "id", "releases": "id",
    "issues": "repo_id, number", "work_items": "id", "work_item_transitions": "work_item_id, seq",
    "incidents": "id", "incident_log_entries": "id",
}  # fmt: skip
# Columns that may differ: state that changed after the cutoff.
STATE = {
    "repos": {"pushed_at"},
    "commits": {"on_main", "main_pos"},
    "pulls": {"state", "updated_at", "closed_at", "merged_at", "merge_sha", "head_sha", "requested", "commit_count",
              "additions", "deletions"},
    "issues": {"state", "updated_at", "closed_at"},
    "work_items": {"status", "status_category", "updated_at", "resolved_at", "sprint", "pr_number"},
    "workflow_runs": {"status", "conclusion", "updated_at"},
    "incidents": {"status", "acknowledged_at", "resolved_at", "updated_at", "escalated"},
}  # fmt: skip


@pytest.fixture(scope="module")
def outs(tmp_path_factory):
    base = tmp_path_factory.mktemp("cutoff")
    full = generate(profile="tiny", seed=5, out_dir=base / "full")
    cut = generate(profile="tiny", seed=5, out_dir=base / "cut", cutoff_hours_before_end=CUTOFF)
    return full, cut


def _db(out):
    return sqlite3.connect(f"file:{out / 'org.sqlite'}?mode=ro", uri=True)


def _rows(conn, table):
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
    n = len(KEYS[table].split(","))
    rows = conn.execute(f"SELECT {KEYS[table]}, * FROM {table}")
    return cols, {r[:n]: dict(zip(cols, r[n:], strict=True)) for r in rows}


def test_window_records_the_cutoff(outs):
    full, cut = outs
    wf, wc = (json.loads((o / "org.json").read_text())["window"] for o in outs)
    assert wf["end"] == wc["end"] == wf["observed_until"]
    assert parse_iso(wf["end"]) - parse_iso(wc["observed_until"]) == CUTOFF * 3600
    with _db(cut) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    assert meta["observed_until"] == wc["observed_until"] and meta["window_end"] == wc["end"]
    assert json.loads((cut / ".sim-complete.json").read_text())["cutoff_hours_before_end"] == CUTOFF


def test_every_cut_entity_exists_identically_in_the_full_output(outs):
    full, cut = outs
    with _db(full) as f, _db(cut) as c:
        end = parse_iso(dict(c.execute("SELECT key, value FROM meta"))["observed_until"])
        grew = set()
        for table in KEYS:
            _, cut_rows = _rows(c, table)
            _, full_rows = _rows(f, table)
            assert cut_rows and set(cut_rows) <= set(full_rows), table
            if len(full_rows) > len(cut_rows):
                grew.add(table)
            for key, row in cut_rows.items():
                other = full_rows[key]
                assert {k: v for k, v in row.items() if k not in STATE.get(table, ())} == {
                    k: v for k, v in other.items() if k not in STATE.get(table, ())}, (table, key)  # fmt: skip
                if row != other:  # only state that changed at or after the cutoff
                    times = [v for k, v in other.items() if k.endswith("_at") and isinstance(v, int) and v >= end]
                    assert times or table == "commits", (table, key, row, other)
        assert {"commits", "pulls", "reviews", "deployments", "work_item_transitions"} <= grew


def _main(out, repo: str, *args: str) -> set[tuple[str, str]]:
    """(sha, committer time) of the commits `git log main` shows."""
    log = subprocess.run(["git", "log", "--format=%H %ct", *args, "main"], cwd=out / "git" / repo, check=True,
                         capture_output=True, text=True).stdout.split("\n")  # fmt: skip
    return {tuple(line.split()) for line in log if line}


def test_main_holds_the_same_shas_up_to_the_cutoff(outs):
    full, cut = outs
    with _db(full) as f, _db(cut) as c:
        end = parse_iso(dict(c.execute("SELECT key, value FROM meta"))["observed_until"])
        for (name,) in f.execute("SELECT full_name FROM repos"):
            # Main's own chain (merges) up to the cutoff is the same; everything reachable is in the full main.
            chain_full, chain_cut = _main(full, name, "--first-parent"), _main(cut, name, "--first-parent")
            assert chain_cut == {(sha, at) for sha, at in chain_full if int(at) < end}
            assert len(chain_cut) < len(chain_full) and _main(cut, name) < _main(full, name)
        on_main = "SELECT repo_id, sha, main_pos FROM commits WHERE on_main = 1 AND committer_at < ? AND is_merge = 1"
        assert set(c.execute(on_main, (end,))) == set(f.execute(on_main, (end,)))


def test_cut_state_is_the_full_state_as_of_the_cutoff(outs):
    full, cut = outs
    with _db(full) as f, _db(cut) as c:
        end = parse_iso(dict(c.execute("SELECT key, value FROM meta"))["observed_until"])
        pulls = {(r, n): (s, m) for r, n, s, m in c.execute("SELECT repo_id, number, state, merged_at FROM pulls")}
        for repo, number, created, closed, merged in f.execute(
            "SELECT repo_id, number, created_at, closed_at, merged_at FROM pulls"
        ):
            if created >= end:
                assert (repo, number) not in pulls
            elif closed is not None and closed < end:
                assert pulls[repo, number] == ("closed", merged)
            else:
                assert pulls[repo, number] == ("open", None)
        status = dict(c.execute("SELECT id, status FROM work_items"))
        history = f.execute(
            "SELECT work_item_id, to_status FROM work_item_transitions WHERE at < ? ORDER BY work_item_id, seq", (end,)
        ).fetchall()
        assert dict(history) == status  # the last transition before the cutoff
        deployments = dict(c.execute(
            "SELECT d.id, (SELECT group_concat(state) FROM deployment_statuses s WHERE s.deployment_id = d.id) "
            "FROM deployments d"))  # fmt: skip
        expected = dict(f.execute(
            "SELECT d.id, (SELECT group_concat(state) FROM deployment_statuses s WHERE s.deployment_id = d.id "
            "AND s.created_at < ?) FROM deployments d WHERE d.created_at < ?", (end, end)))  # fmt: skip
        assert deployments == expected
        incidents = f.execute("SELECT number, created_at, resolved_at FROM incidents ORDER BY number").fetchall()
        cut_incidents = dict(c.execute("SELECT number, resolved_at FROM incidents"))
        assert cut_incidents == {n: (r if r is not None and r < end else None) for n, at, r in incidents if at < end}


def test_a_day_before_is_a_prefix_too_and_cutoff_changes_regenerate(tmp_path, outs):
    full, _ = outs
    out = generate(profile="tiny", seed=5, out_dir=tmp_path, cutoff_hours_before_end=24)
    with _db(out) as c, _db(full) as f:
        assert set(c.execute("SELECT repo_id, sha FROM commits")) <= set(f.execute("SELECT repo_id, sha FROM commits"))
        assert set(c.execute("SELECT key FROM work_items")) <= set(f.execute("SELECT key FROM work_items"))
    assert json.loads((out / "org.json").read_text())["window"]["observed_until"] == "2026-03-01T00:00:00Z"
    main(["generate", "--profile", "tiny", "--seed", "5", "--out", str(tmp_path), "--cutoff-hours-before-end", "0"])
    assert json.loads((out / "org.json").read_text())["window"]["observed_until"] == "2026-03-02T00:00:00Z"
    with pytest.raises(ValueError):
        generate(profile="tiny", seed=5, out_dir=tmp_path / "x", cutoff_hours_before_end=-1)
