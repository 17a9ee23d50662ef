"""Pull request cycle stages and rpt_bottleneck_weekly for the ground truth (METRICS.md "Pull request cycle").

Reviews count only when by someone other than the PR author. The approval is the last APPROVED review at
or before merged_at; a CHANGES_REQUESTED review counts for review/rework when it is before the approval.
CI hours sit beside the stages (they overlap them): the queue and run time of the "CI" workflow's jobs on the
PR's commits created before the merge, every attempt, skipped jobs left out; `ci` is the bottleneck only when
its weekly total exceeds every stage's.
"""

import sqlite3

from simulator.truth_changes import HOUR, Change, Facts, hours, ratio, week

STAGES = ("coding", "pickup", "review", "rework", "merge", "deploy_wait")
CI_WORKFLOW = "CI"  # rows.WORKFLOW_NUMBERS: the other workflows deploy


def stages(ch: Change, reviews: list[tuple[int, str]]) -> dict[str, float | None]:
    """`reviews`: (submitted_at, state) by others than the author, in submission order."""
    first_review = reviews[0][0] if reviews else None
    approvals = [at for at, state in reviews if state == "APPROVED" and at <= ch.merged_at]
    approval = approvals[-1] if approvals else None
    changes_requested = [at for at, state in reviews if state == "CHANGES_REQUESTED" and approval is not None
                         and at < approval]  # fmt: skip
    first_cr = changes_requested[0] if changes_requested else None
    return {
        "coding": hours(ch.created_at, ch.first_commit_at),
        "pickup": hours(first_review, ch.created_at),
        "review": hours(first_cr if first_cr is not None else approval, first_review) if approval else None,
        "rework": (hours(approval, first_cr) if first_cr is not None else 0.0) if approval else None,
        "merge": hours(ch.merged_at, approval),
        "deploy_wait": hours(ch.deployment.deployed_at, ch.merged_at) if ch.deployment else None,
    }


def load(conn: sqlite3.Connection, facts: Facts) -> dict[tuple[int, int], dict[str, float | None]]:
    reviews: dict[tuple[int, int], list[tuple[int, str]]] = {}
    for repo, number, at, state in conn.execute(
        """SELECT v.repo_id, v.number, v.submitted_at, v.state FROM reviews v
           JOIN pulls p ON p.repo_id = v.repo_id AND p.number = v.number
           WHERE v.reviewer_id != p.author_id AND p.merged_at IS NOT NULL ORDER BY v.submitted_at, v.id"""
    ):
        reviews.setdefault((repo, number), []).append((at, state))
    ci = ci_hours(conn)
    return {key: {**stages(ch, reviews.get(key, [])), "ci": ci.get(key)} for key, ch in facts.changes.items()}


def ci_hours(conn: sqlite3.Connection) -> dict[tuple[int, int], float]:
    """Per merged PR with CI: its CI jobs' queue (created -> started) plus run (started -> completed) hours; a
    job not started or not finished by the cut adds only the time it has."""
    seconds: dict[tuple[int, int], int] = {}
    for repo, number, _, created, started, completed in conn.execute(
        """SELECT DISTINCT p.repo_id, p.number, j.id, j.created_at, j.started_at, j.completed_at
           FROM pulls p
           JOIN pull_commits c ON c.repo_id = p.repo_id AND c.number = p.number
           JOIN workflow_runs w ON w.repo_id = p.repo_id AND w.head_sha = c.sha AND w.name = ?
           JOIN workflow_jobs j ON j.run_id = w.id
           WHERE p.merged_at IS NOT NULL AND j.created_at < p.merged_at AND coalesce(j.conclusion, '') != 'skipped'""",
        (CI_WORKFLOW,),
    ):
        queued = started - created if started is not None else 0
        ran = completed - started if completed is not None else 0
        seconds[(repo, number)] = seconds.get((repo, number), 0) + queued + ran
    return {key: total / HOUR for key, total in seconds.items()}


def weekly(facts: Facts, cycle: dict[tuple[int, int], dict]) -> dict[tuple[str, str], dict]:
    """Per repository's team and week of deployed_at: stage totals over the changes deployed."""
    cells: dict[tuple[str, str], dict] = {}
    for key, ch in facts.changes.items():
        if ch.deployment is None:
            continue
        cell = cells.setdefault((facts.team_of(ch.repo_id), week(ch.deployment.deployed_at)), {"changes": 0})
        cell["changes"] += 1
        for s in (*STAGES, "ci"):
            cell[s] = cell.get(s, 0.0) + (cycle[key][s] or 0.0)  # nulls count 0
    return cells


def columns(cell: dict) -> dict:
    totals = {s: cell.get(s, 0.0) for s in STAGES}
    whole = sum(totals.values())
    out: dict = {"changes_deployed": cell.get("changes", 0)}
    for s in STAGES:
        out[f"{s}_hours"] = totals[s]
        out[f"{s}_share"] = ratio(totals[s], whole) if out["changes_deployed"] else None
    ci = cell.get("ci", 0.0)
    out["ci_hours"] = ci
    out["ci_share"] = ratio(ci, whole) if out["changes_deployed"] else None
    # The largest total; max() keeps the first of equal totals, i.e. the earlier stage. CI, beside the
    # stages, is named only when it is more than that largest total.
    largest = max(STAGES, key=lambda s: totals[s])
    out["bottleneck_stage"] = ("ci" if ci > totals[largest] else largest) if out["changes_deployed"] else None
    return out
