"""generate(): build the org, simulate every repository, write git + org.sqlite + ground truth.

Repositories are simulated independently (in worker processes), and each one's rows go to
SQLite as soon as it is done, so memory holds at most a few repositories at a time.
"""

import json
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from simulator import business, ground_truth, pushed_events, store, truth_delivery_monthly, truth_investment
from simulator.ai_signals import BOTS
from simulator.git_writer import tree_shas, write_repository
from simulator.org import Org, build_org
from simulator.profiles import get_profile
from simulator.repo_sim import RepoSimulator
from simulator.rows import build_rows, repo_id
from simulator.timeline import observed_commits, order_commits
from simulator.timeutil import WEEK, epoch, iso

GENERATOR_VERSION = 20  # bump when output changes, so cached out_dirs regenerate
MARKER = ".sim-complete.json"


@lru_cache(maxsize=4)
def _org(profile: str, seed: int) -> Org:
    return build_org(get_profile(profile), seed)


def _simulate_repo(args: tuple) -> dict:
    profile, seed, out_dir, team_index, repo_name, index, cut = args
    org = _org(profile, seed)
    # The plan always runs to the window end (same draws for every cutoff); only what is written is cut.
    plan = RepoSimulator(org, org.teams[team_index], repo_name, index).run()
    commits = observed_commits(order_commits(plan), cut)
    git_dir = Path(out_dir) / "git" / repo_name
    write_repository(git_dir, plan, commits)
    trees = tree_shas(git_dir, [c.sha for c in commits])
    rows = build_rows(plan, commits, trees, seed, cut)
    pushed = max(c.committer_at for c in commits if c.is_merge or not c.parents)
    rows["repos"] = [(repo_id(index), plan.owner, plan.name, plan.full_name, plan.team_key,
                      plan.created_at, pushed, plan.deploys_via)]  # fmt: skip
    return rows


def _marker(profile: str, seed: int, cutoff_hours: int) -> dict:
    return {"profile": profile, "seed": seed, "version": GENERATOR_VERSION, "cutoff_hours_before_end": cutoff_hours}


def window(org: Org, cutoff_hours: int = 0) -> tuple[int, int, int]:
    """(start, end, observed_until): the profile's window, and the cutoff everything is observed at."""
    start = epoch(org.profile.start)
    end = start + org.profile.weeks * WEEK
    return start, end, end - cutoff_hours * 3600


def _write_org_tables(conn, org: Org, cutoff_hours: int) -> None:
    conn.executemany(
        "INSERT INTO teams VALUES (?,?,?,?)",
        [(t.key, t.name, t.delivery, t.adoption_week) for t in org.teams],
    )
    conn.executemany(
        "INSERT INTO people VALUES (?,?,?,?,?,?,?)",
        [(p.pid, p.key, p.name, p.email, p.login, p.team_key, p.tz_offset) for p in org.people],
    )
    conn.executemany("INSERT INTO bots VALUES (?,?,?,?)", [(b.pid, b.login, b.name, b.email) for b in BOTS])
    conn.executemany(
        "INSERT INTO work_projects VALUES (?,?,?,?)",
        [(t.project, 10_001 + i, t.name, t.key) for i, t in enumerate(org.teams)],
    )
    start, end, cut = window(org, cutoff_hours)
    meta = {"org": org.login, "profile": org.profile.name, "seed": str(org.seed), "window_start": iso(start),
            "window_end": iso(end), "observed_until": iso(cut)}  # fmt: skip
    conn.executemany("INSERT INTO meta VALUES (?,?)", sorted(meta.items()))


def org_document(org: Org, counts: dict | None = None, cutoff_hours: int = 0) -> dict:
    start, end, cut = window(org, cutoff_hours)
    doc = {
        "org": org.login,
        "profile": org.profile.name,
        "seed": org.seed,
        # end: the profile's window (the plan); observed_until: the cutoff the data is seen at.
        "window": {"start": iso(start), "end": iso(end), "weeks": org.profile.weeks, "observed_until": iso(cut)},
        "teams": [
            {
                "key": t.key,
                "name": t.name,
                "delivery": t.delivery,
                "work_project": t.project,
                "ai_adoption_week": t.adoption_week,
                "repositories": t.repos,
                "members": [
                    {
                        "key": p.key,
                        "name": p.name,
                        "email": p.email,
                        "github": p.login,
                        "aliases": [p.alias_email],
                        "tz_offset_minutes": p.tz_offset,
                    }
                    for p in t.members
                ],  # fmt: skip
            }
            for t in org.teams
        ],
    }
    if counts is not None:
        doc["counts"] = counts
    return doc


def generate(profile: str = "demo", seed: int = 7, out_dir: Path | str = Path(".state/sim/demo"),
             workers: int | None = None, cutoff_hours_before_end: int = 0) -> Path:  # fmt: skip
    """Generate (or reuse, when out_dir already holds this profile+seed+cutoff) a simulated org.

    cutoff_hours_before_end=N observes the same org N hours before the window end ("the org
    yesterday" for N=24): same plan, ids and shas; what happens after the cutoff is not there yet.
    """
    out_dir = Path(out_dir).resolve()
    marker = out_dir / MARKER
    expected = _marker(profile, seed, cutoff_hours_before_end)
    if marker.exists() and json.loads(marker.read_text()) == expected:
        return out_dir
    org = build_org(get_profile(profile), seed)
    start, end, cut = window(org, cutoff_hours_before_end)
    if cutoff_hours_before_end < 0 or cut <= start + 86400:
        raise ValueError(f"cutoff_hours_before_end must be >= 0 and leave at least a day: {cutoff_hours_before_end}")
    out_dir.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    shutil.rmtree(out_dir / "git", ignore_errors=True)
    shutil.rmtree(out_dir / "business", ignore_errors=True)
    shutil.rmtree(out_dir / pushed_events.FOLDER, ignore_errors=True)
    for name in ("ground_truth.json", "org.json", "config.yml"):
        (out_dir / name).unlink(missing_ok=True)
    for old in out_dir.glob("ground_truth_*.json"):
        old.unlink()

    db_path = out_dir / "org.sqlite"
    conn = store.create(db_path)
    _write_org_tables(conn, org, cutoff_hours_before_end)
    tasks, index = [], 0
    for ti, team in enumerate(org.teams):
        for repo in team.repos:
            tasks.append((profile, seed, str(out_dir), ti, repo, index, cut))
            index += 1
    workers = workers or min(len(tasks), os.cpu_count() or 1, 8)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for rows in pool.map(_simulate_repo, tasks, chunksize=1):
            store.insert_rows(conn, rows)
    store.finish(conn)

    with store.open_readonly(db_path) as ro:
        ground_truth.write(ro, out_dir / "ground_truth.json", profile, seed)
        pushed_events.write(ro, out_dir)
        delivery = truth_delivery_monthly.monthly(ro)  # the business files follow delivery (simulator/business.py)
        business_rows = business.rows(org, delivery, start, cut)
        business.write(out_dir, business_rows)
        truth_investment.write(ro, out_dir / "ground_truth_investment.json", business_rows, delivery)
        counts = {t: ro.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("work_items", "incidents")}
    doc = org_document(org, counts, cutoff_hours_before_end)
    (out_dir / "org.json").write_text(json.dumps(doc, indent=1) + "\n")
    marker.write_text(json.dumps(expected))
    return out_dir
