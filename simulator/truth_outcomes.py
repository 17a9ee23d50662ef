"""Outcome columns of rpt_dora_weekly (METRICS.md "Outcomes"): change failure rate, recovery, rework, coverage.

Deployments, attempts, failures and rework count for the repository's team in the week of the deployment
(deployed_at, or a failed attempt's first failure status); merged PRs in the week of merged_at;
incidents in the week of created_at; work items (their project's team) in the week of resolved_at.
"""

from simulator.quantile import quantile_cont
from simulator.truth_changes import Facts, hours, ratio, week
from simulator.truth_incidents import WINDOW_HOURS, Incident
from simulator.truth_work import WorkItem

COUNTS = (
    "deployment_attempts", "failed_attempts", "failed_deployments", "deployments", "change_measurable_deployments",
    "rework_deployments",
    "merged_prs", "merged_prs_shipped", "incidents", "incidents_attributed", "work_items_resolved",
    "work_items_linked",
)  # fmt: skip


def change_failures(
    facts: Facts, incidents: list[Incident], window_hours: int = WINDOW_HOURS
) -> dict[int, float | None]:
    """Successful production deployments that are change failures -> hours to recover (None: not yet).
    A deployment fails when a production-failure incident is attributed to it (recovered once all are
    resolved), the next deployment of its service and environment sits at a strict ancestor (a
    rollback, recovered then), or a pull request it shipped was reverted within the window after it
    (recovered once every such revert shipped; with a rollback too, whichever recovered first). Failed
    attempts are not change failures (failed_attempts_are_change_failures is false by default)."""
    by_deployment: dict[int, list[Incident]] = {}
    for inc in incidents:
        if inc.deployment is not None and inc.is_production_failure:
            by_deployment.setdefault(inc.deployment.id, []).append(inc)
    reverted = _reverted(facts, window_hours)
    out: dict[int, float | None] = {}
    for deps in facts.successful.values():
        for d, following in zip(deps, [*deps[1:], None], strict=True):
            rolled_back = following is not None and following.main_pos < d.main_pos
            if attributed := by_deployment.get(d.id):
                resolved = [inc.resolved_at for inc in attributed]
                out[d.id] = hours(max(resolved), d.deployed_at) if None not in resolved else None
            elif rolled_back or d.id in reverted:
                shipped = reverted.get(d.id, [])
                ends = [following.deployed_at] if rolled_back else []
                ends += [max(shipped)] if shipped and None not in shipped else []
                out[d.id] = hours(min(ends), d.deployed_at) if ends else None
    return out


def _reverted(facts: Facts, window_hours: int) -> dict[int, list[int | None]]:
    """Deployment id -> when each revert failing it shipped (None: not yet): a merged pull request that
    reverts one first shipped by that deployment, merged in [deployed_at, deployed_at + window)."""
    out: dict[int, list[int | None]] = {}
    for revert in facts.changes.values():
        target = facts.changes.get((revert.repo_id, revert.reverts)) if revert.reverts else None
        d = target.deployment if target else None
        if d is not None and 0 <= revert.merged_at - d.deployed_at < window_hours * 3600:
            out.setdefault(d.id, []).append(revert.deployment.deployed_at if revert.deployment else None)
    return out


def weekly(
    facts: Facts, incidents: list[Incident], items: list[WorkItem], window_hours: int = WINDOW_HOURS
) -> dict[tuple[str, str], dict]:
    cells: dict[tuple[str, str], dict] = {}

    def add(team: str, ts: int, name: str, n: int = 1) -> dict:
        cell = cells.setdefault((team, week(ts)), {"recoveries": []})
        cell[name] = cell.get(name, 0) + n
        return cell

    rework = _rework_deployments(facts, items)
    failures = change_failures(facts, incidents, window_hours)
    failed = facts.counted_failures(failures)
    for (repo, _service, _env), deps in facts.successful.items():
        team = facts.team_of(repo)
        for i, d in enumerate(deps):
            cell = add(team, d.deployed_at, "deployment_attempts")
            if d.id in facts.copies:
                continue  # an environment copy: an attempt, counted once with the deployment it copies
            add(team, d.deployed_at, "deployments")
            # an environment's first deployment, and one whose sha or previous sha is untracked, is unmeasurable
            add(team, d.deployed_at, "change_measurable_deployments", i > 0 and d.is_measurable)
            add(team, d.deployed_at, "rework_deployments", d.id in rework)
            if d.id in failed:
                add(team, d.deployed_at, "failed_deployments")
                if failures.get(d.id) is not None:  # failed only through a copy: no recovery of its own
                    cell["recoveries"].append(failures[d.id])
    for d in facts.deployments:
        if d.deployed_at is None:  # a failed attempt: failure/error and never a success
            add(facts.team_of(d.repo_id), d.failed_at, "deployment_attempts")
            add(facts.team_of(d.repo_id), d.failed_at, "failed_attempts")
    for ch in facts.changes.values():
        team = facts.team_of(ch.repo_id)
        add(team, ch.merged_at, "merged_prs")
        add(team, ch.merged_at, "merged_prs_shipped", ch.shipment is not None)
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
        "change_measurement_coverage": ratio(n["change_measurable_deployments"], n["deployments"]),
        "deployment_attempts": n["deployment_attempts"],
        "failed_attempts": n["failed_attempts"],
        "failed_deployment_attempt_rate": ratio(n["failed_attempts"], n["deployment_attempts"]),
        "failure_rate_deployments": n["deployments"],
        "failed_deployments": n["failed_deployments"],
        "change_failure_rate": ratio(n["failed_deployments"], n["deployments"]),
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
