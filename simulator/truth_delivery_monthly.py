"""Delivery outcomes per team and UTC calendar month, for rpt_investment_monthly's truth (METRICS.md
"Investment"): the weekly rules of rpt_dora_weekly and fct_work_items, bucketed by month instead of week.

Deployments count in the month of deployed_at, a failed attempt (an attempt, not a change failure) in
the month of its first failure status, a change's lead time in the month of its deployment, a delivered
customer request in the month it reached production; all for the team that owns the repository (the
work item's project for requests).
"""

import sqlite3
from datetime import UTC, datetime

from simulator import truth_changes, truth_incidents, truth_work
from simulator.truth_outcomes import change_failures

COUNTS = ("deployments", "deployment_attempts", "failed_deployments", "customer_requests_delivered")


def month(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m")


def monthly(conn: sqlite3.Connection, window_hours: int = truth_incidents.WINDOW_HOURS) -> dict[tuple[str, str], dict]:
    """(team, 'YYYY-MM') -> counts and the lead times (hours) of the changes deployed that month."""
    facts = truth_changes.load(conn)
    incidents = truth_incidents.load(conn, facts, window_hours)
    cells: dict[tuple[str, str], dict] = {}

    def add(team: str, ts: int, name: str, n: int = 1) -> None:
        cell = cells.setdefault((team, month(ts)), {"lead_times": [], **dict.fromkeys(COUNTS, 0)})
        cell[name] += n

    failed = facts.counted_failures(change_failures(facts, incidents, window_hours))
    for (repo, _service, _env), deps in facts.successful.items():
        for d in deps:
            add(facts.team_of(repo), d.deployed_at, "deployment_attempts")
            if d.id not in facts.copies:  # an environment copy counts once, with the deployment it copies
                add(facts.team_of(repo), d.deployed_at, "deployments")
                add(facts.team_of(repo), d.deployed_at, "failed_deployments", d.id in failed)
    for d in facts.deployments:
        if d.deployed_at is None:  # an attempt that failed and never succeeded: no change failure
            add(facts.team_of(d.repo_id), d.failed_at, "deployment_attempts")
    for ch in facts.changes.values():
        if ch.deployment is not None and ch.first_commit_at is not None:
            team, deployed_at = facts.team_of(ch.repo_id), ch.deployment.deployed_at
            add(team, deployed_at, "deployments", 0)
            cells[(team, month(deployed_at))]["lead_times"].append((deployed_at - ch.first_commit_at) / 3600.0)
    for item in truth_work.load(conn, facts):
        deployed_at = item.delivery.get("deployed_at")
        if item.canonical_type == "customer_request" and item.team_key is not None and deployed_at is not None:
            add(item.team_key, deployed_at, "customer_requests_delivered")
    return cells
