"""Outcome columns of rpt_dora_weekly (METRICS.md "Outcomes"): change failure rate, recovery, rework, coverage.

Deployments, attempts, failures and rework count for the repository's team in the week of the deployment
(deployed_at, or a failed attempt's first failure status); merged PRs in the week of merged_at;
incidents in the week of created_at; work items (their project's team) in the week of resolved_at.
"""

import bisect

from simulator.quantile import quantile_cont
from simulator.truth_changes import Facts, hours, ratio, week
from simulator.truth_incidents import Incident
from simulator.truth_work import WorkItem

COUNTS = (
    "deployment_attempts", "failed_deployments", "deployments", "rework_deployments", "merged_prs",
    "merged_prs_shipped", "incidents", "incidents_attributed", "work_items_resolved", "work_items_linked",
)  # fmt: skip


def weekly(facts: Facts, incidents: list[Incident], items: list[WorkItem]) -> dict[tuple[str, str], dict]:
    cells: dict[tuple[str, str], dict] = {}

    def add(team: str, ts: int, name: str, n: int = 1) -> dict:
        cell = cells.setdefault((team, week(ts)), {"recoveries": []})
        cell[name] = cell.get(name, 0) + n
        return cell

    by_deployment: dict[int, list[Incident]] = {}
    for inc in incidents:
        if inc.deployment is not None:
            by_deployment.setdefault(inc.deployment.id, []).append(inc)
    rework = _rework_deployments(facts, items)
    for (repo, _env), deps in facts.successful.items():
        team = facts.team_of(repo)
        for i, d in enumerate(deps):
            cell = add(team, d.deployed_at, "deployment_attempts")
            add(team, d.deployed_at, "deployments")
            add(team, d.deployed_at, "rework_deployments", d.id in rework)
            attributed = by_deployment.get(d.id, [])
            following = deps[i + 1] if i + 1 < len(deps) else None
            rolled_back = following is not None and following.main_pos < d.main_pos  # a strict ancestor
            if not attributed and not rolled_back:
                continue
            add(team, d.deployed_at, "failed_deployments")
            if attributed:
                resolved = [inc.resolved_at for inc in attributed]
                recovery = hours(max(resolved), d.deployed_at) if None not in resolved else None
            else:
                recovery = hours(following.deployed_at, d.deployed_at)
            if recovery is not None:
                cell["recoveries"].append(recovery)
    deployed_ats = {key: [d.deployed_at for d in deps] for key, deps in facts.successful.items()}
    for d in facts.deployments:
        if d.deployed_at is not None:
            continue  # a failed attempt: failure/error and never a success
        team = facts.team_of(d.repo_id)
        add(team, d.failed_at, "deployment_attempts")
        cell = add(team, d.failed_at, "failed_deployments")
        deps = facts.successful.get((d.repo_id, d.environment), [])
        nxt = bisect.bisect_right(deployed_ats.get((d.repo_id, d.environment), []), d.failed_at)
        if nxt < len(deps):
            cell["recoveries"].append(hours(deps[nxt].deployed_at, d.failed_at))
    for ch in facts.changes.values():
        team = facts.team_of(ch.repo_id)
        add(team, ch.merged_at, "merged_prs")
        add(team, ch.merged_at, "merged_prs_shipped", ch.deployment is not None)
    for inc in incidents:
        add(inc.team_key, inc.created_at, "incidents")
        add(inc.team_key, inc.created_at, "incidents_attributed", inc.deployment is not None)
    for item in items:
        if item.team_key is not None and item.resolved_at is not None:
            add(item.team_key, item.resolved_at, "work_items_resolved")
            add(item.team_key, item.resolved_at, "work_items_linked", bool(item.pulls))
    return cells


def _rework_deployments(facts: Facts, items: list[WorkItem]) -> set[int]:
    """Deployments shipping >= 1 change linked to an `incident` work item or a bug found in production."""
    rework_prs = {p for item in items if item.canonical_type == "incident" or item.found_in_production_reason
                  for p in item.pulls}  # fmt: skip
    return {ch.deployment.id for key, ch in facts.changes.items() if ch.deployment is not None and key in rework_prs}


def columns(cell: dict) -> dict:
    n = {k: cell.get(k, 0) for k in COUNTS}
    recoveries = cell.get("recoveries", [])
    return {
        "deployment_attempts": n["deployment_attempts"],
        "failed_deployments": n["failed_deployments"],
        "change_failure_rate": ratio(n["failed_deployments"], n["deployment_attempts"]),
        "failures_recovered": len(recoveries),
        "recovery_time_p50_hours": quantile_cont(recoveries, 0.5),
        "rework_deployments": n["rework_deployments"],
        "rework_rate": ratio(n["rework_deployments"], n["deployments"]),
        "merged_prs": n["merged_prs"],
        "pr_deployment_coverage": ratio(n["merged_prs_shipped"], n["merged_prs"]),
        "incidents": n["incidents"],
        "incident_attribution_coverage": ratio(n["incidents_attributed"], n["incidents"]),
        "work_items_resolved": n["work_items_resolved"],
        "work_item_pr_coverage": ratio(n["work_items_linked"], n["work_items_resolved"]),
    }
