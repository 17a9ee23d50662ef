"""Work items for the ground truth: canonical types, links to PRs, request to production, defect escape.

A PR's work item link is plan knowledge (work_items.repo_id/pr_number): the simulator puts exactly that
key, and no other, in the PR's title, branch and some commits (a unit test re-checks it with the
METRICS.md key rule). The simulator has no production labels, incident <-> bug key mentions or
"is caused by" links, so a bug is found in production only through its environment field.
"""

import json
import re
import sqlite3
from dataclasses import dataclass, field

from simulator.quantile import quantile_cont
from simulator.timeutil import iso
from simulator.truth_changes import Change, Facts, hours, ratio, week

CANONICAL = {
    **dict.fromkeys(("story", "feature", "new feature", "improvement", "epic"), "feature"),
    **dict.fromkeys(("bug", "defect"), "bug"),
    **dict.fromkeys(("customer request", "service request", "support"), "customer_request"),
    **dict.fromkeys(("incident", "problem"), "incident"),
}  # anything else is a chore
PRODUCTION_FIELD = re.compile(r"\bprod(uction)?\b", re.IGNORECASE)
PRODUCTION_LABELS = {"production", "prod", "customer-reported"}
KEY = re.compile(r"\b[A-Za-z][A-Za-z0-9]+-[0-9]+\b")
WAITS = ("wait_to_start", "start_to_pr", "pr_to_merge", "merge_to_deploy", "request_to_production")


@dataclass
class WorkItem:
    id: int
    key: str
    team_key: str | None
    canonical_type: str
    environment: str | None
    labels: list[str]
    created_at: int
    started_at: int | None
    resolved_at: int | None
    pulls: list[tuple[int, int]] = field(default_factory=list)  # (repo, PR number) of linked PRs
    found_in_production_reason: str | None = None
    delivery: dict = field(default_factory=dict)  # request to production: the item's times and waits


def canonical_type(issue_type: str) -> str:
    return CANONICAL.get(issue_type.lower(), "chore")


def load(conn: sqlite3.Connection, facts: Facts) -> list[WorkItem]:
    started = dict(conn.execute(
        """SELECT work_item_id, min(at) FROM work_item_transitions
           WHERE seq > 0 AND to_category = 'indeterminate' GROUP BY 1"""))  # fmt: skip
    items = []
    for row in conn.execute(
        """SELECT w.id, w.key, p.team_key, w.type, w.environment, w.labels, w.created_at, w.resolved_at,
                  w.repo_id, w.pr_number
           FROM work_items w LEFT JOIN work_projects p ON p.key = w.project_key ORDER BY w.id"""
    ):
        item_id, key, team, kind, env, labels, created, resolved, repo, number = row
        item = WorkItem(item_id, key, team, canonical_type(kind), env, json.loads(labels or "[]"), created,
                        started.get(item_id), resolved)  # fmt: skip
        if number is not None:
            item.pulls.append((repo, number))
        items.append(item)
    mentioned = _keys_in_incidents(conn)
    pulls = dict(((r, n), (created, merged)) for r, n, created, merged in conn.execute(
        "SELECT repo_id, number, created_at, merged_at FROM pulls"))  # fmt: skip
    for item in items:
        item.pulls = [p for p in item.pulls if p in pulls]  # a link needs the PR to exist
        if item.canonical_type == "bug":
            item.found_in_production_reason = _found_in_production(item, mentioned)
        if item.canonical_type in ("feature", "customer_request"):
            item.delivery = _delivery(item, pulls, facts.changes)
    return items


def _keys_in_incidents(conn: sqlite3.Connection) -> set[str]:
    """Rule (a): keys named in incident titles (the simulator's incident titles name none)."""
    return {k.upper() for (title,) in conn.execute("SELECT title FROM incidents") for k in KEY.findall(title or "")}


def _found_in_production(item: WorkItem, mentioned: set[str]) -> str | None:
    if item.key.upper() in mentioned:
        return "incident"
    if PRODUCTION_FIELD.search(item.environment or "") or PRODUCTION_LABELS & {x.lower() for x in item.labels}:
        return "field"
    return None  # (c) "is caused by" links: the simulator has none


def _delivery(item: WorkItem, pulls: dict, changes: dict[tuple[int, int], Change]) -> dict:
    opened = [pulls[p][0] for p in item.pulls]
    merged = [changes[p] for p in item.pulls if p in changes]
    first_pr = min(opened) if opened else None
    merged_at = max(c.merged_at for c in merged) if merged else None
    deployed = [c.deployment.deployed_at for c in merged if c.deployment is not None]
    deployed_at = max(deployed) if merged and len(deployed) == len(merged) else None
    waits = {
        "wait_to_start": hours(item.started_at, item.created_at),
        "start_to_pr": hours(first_pr, item.started_at),
        "pr_to_merge": hours(merged_at, first_pr),
        "merge_to_deploy": hours(deployed_at, merged_at),
        "request_to_production": hours(deployed_at, item.created_at),
    }
    return {"first_pr_opened_at": first_pr, "merged_at": merged_at, "deployed_at": deployed_at, **waits}


def weekly(items: list[WorkItem]) -> dict[tuple[str, str], dict]:
    """Request-to-production and defect-escape cells (only weeks that have something)."""
    cells: dict[tuple[str, str], dict] = {}
    for item in items:
        if item.team_key is None:
            continue
        deployed_at = item.delivery.get("deployed_at")
        if deployed_at is not None:
            cell = cells.setdefault((item.team_key, week(deployed_at)), {})
            for w in WAITS:
                cell.setdefault(w, []).append(item.delivery[w])
            cell["items_delivered"] = cell.get("items_delivered", 0) + 1
        if item.canonical_type == "bug":
            cell = cells.setdefault((item.team_key, week(item.created_at)), {})
            cell["bugs"] = cell.get("bugs", 0) + 1
            cell["bugs_found_in_production"] = cell.get("bugs_found_in_production", 0) + (
                item.found_in_production_reason is not None)  # fmt: skip
    return cells


def columns(cell: dict) -> dict:
    out = {"items_delivered": cell.get("items_delivered", 0)}
    for w in WAITS:
        values = [v for v in cell.get(w, []) if v is not None]
        out[f"{w}_p50_hours"] = quantile_cont(values, 0.5)
        out[f"{w}_p85_hours"] = quantile_cont(values, 0.85)
    bugs, found = cell.get("bugs", 0), cell.get("bugs_found_in_production", 0)
    out.update(bugs=bugs, bugs_found_in_production=found, defect_escape_rate=ratio(found, bugs))
    return out


def entity(item: WorkItem) -> dict:
    """One item's truth, for debugging the marts (ground_truth_work_items.json)."""
    times = {k: iso(v) if k.endswith("_at") else v for k, v in item.delivery.items()}
    return {"team_key": item.team_key, "canonical_type": item.canonical_type, "started_at": iso(item.started_at),
            "linked_prs": len(item.pulls), "found_in_production_reason": item.found_in_production_reason,
            "is_delivered": item.delivery.get("deployed_at") is not None if item.delivery else None,
            **times}  # fmt: skip
