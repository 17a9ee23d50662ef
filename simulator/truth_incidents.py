"""Incident -> deployment attribution for the ground truth, by METRICS.md's rules (not by the true cause).

An incident's explicit cause is what it says itself: the simulator's `deployment_id` / `deployment_sha`
columns are what its description names (`(deployment <id>)`, `(commit <sha>)`); the title is scanned
with the same regexes (a pushed incident's are its `deployment_id` / `sha` fields: the same columns). Its
repository is `incidents.repo_id`; its service is the repository's full name, or a monorepo's service.
"""

import re
import sqlite3
from dataclasses import dataclass

from simulator.timeutil import iso
from simulator.truth_changes import PRODUCTION, Deployment, Facts, window_candidates

WINDOW_HOURS = 24  # incident_attribution_window_hours default
PRODUCTION_FAILURE_URGENCIES = ("high",)  # production_failure_urgencies default
DEPLOYMENT_RE = re.compile(r"deployment[ _:#-]*([0-9]+)", re.IGNORECASE)
SHA_RE = re.compile(r"(?:commit|sha)[ _:#=-]*([0-9a-f]{7,40})")


@dataclass
class Incident:
    id: int
    number: int
    repo_id: int
    team_key: str
    created_at: int
    resolved_at: int | None
    truth_deployment_id: int | None
    is_production_failure: bool
    deployment: Deployment | None = None
    method: str = "none"


def load(conn: sqlite3.Connection, facts: Facts, window_hours: int = WINDOW_HOURS) -> list[Incident]:
    out = []
    candidates = window_candidates(facts)
    for row in conn.execute(
        """SELECT i.id, i.number, i.repo_id, i.title, i.created_at, i.resolved_at, i.deployment_id, i.deployment_sha,
                  i.truth_deployment_id, i.urgency, nullif(i.service, r.full_name)
           FROM incidents i JOIN repos r ON r.id = i.repo_id ORDER BY i.number"""
    ):
        inc_id, number, repo, title, created, resolved, named_id, named_sha, truth, urgency, service = row
        failure = (urgency or "").lower() in PRODUCTION_FAILURE_URGENCIES
        inc = Incident(inc_id, number, repo, facts.team_of(repo), created, resolved, truth, failure)
        if named_id is None and (m := DEPLOYMENT_RE.search(title or "")):
            named_id = int(m.group(1))
        if named_sha is None and (m := SHA_RE.search(title or "")):
            named_sha = m.group(1)
        inc.deployment, inc.method = attribute(facts, candidates, repo, created, named_id, named_sha, window_hours,
                                               service)
        out.append(inc)
    return out


def attribute(facts: Facts, candidates: set[int], repo: int, created: int, named_id: int | None,
              named_sha: str | None, window_hours: int,
              service: str | None = None) -> tuple[Deployment | None, str]:  # fmt: skip
    """The first rule that finds a successful production deployment at or before the incident wins; the
    window only blames `candidates` (truth_changes.window_candidates). An incident of a monorepo's service
    blames only that service's deployments by sha or window; one of the repository, any of its services'."""
    named = facts.by_id.get(named_id) if named_id is not None else None
    if named is not None and named.deployed_at <= created:
        return named, "explicit_deployment"
    # the incident names the repository (its PagerDuty service): any of the repository's services' deployments
    own = [d for (r, s, env), ds in facts.successful.items()
           if r == repo and env in PRODUCTION and service in (None, s) for d in ds]  # fmt: skip
    latest = lambda ds: max(ds, key=lambda d: (d.deployed_at, d.id), default=None)  # noqa: E731
    if named_sha:
        found = latest([d for d in own if d.sha.startswith(named_sha) and d.deployed_at <= created])
        if found is None:  # else: the deployment that shipped that commit
            shipped = [c.shipment for c in facts.changes.values() if c.repo_id == repo and c.shipment
                       and service in (None, c.shipment.service)
                       and c.merge_sha.startswith(named_sha) and c.shipment.deployed_at <= created]  # fmt: skip
            found = latest(shipped)
        if found is not None:
            return found, "explicit_sha"
    found = latest([d for d in own if created - window_hours * 3600 < d.deployed_at <= created and d.id in candidates])
    return (found, "window") if found is not None else (None, "none")


def accuracy(incidents: list[Incident]) -> dict:
    """How often the rules find the true cause (None == None counts: an unrelated incident left unlinked)."""
    by_method: dict[str, dict[str, int]] = {}
    for inc in incidents:
        m = by_method.setdefault(inc.method, {"incidents": 0, "true_cause": 0})
        m["incidents"] += 1
        m["true_cause"] += (inc.deployment.id if inc.deployment else None) == inc.truth_deployment_id
    right = sum(m["true_cause"] for m in by_method.values())
    return {"attribution_accuracy": right / len(incidents) if incidents else None,
            "attribution_by_method": dict(sorted(by_method.items()))}  # fmt: skip


def entity(inc: Incident) -> dict:
    d = inc.deployment
    return {"team_key": inc.team_key, "created_at": iso(inc.created_at), "attribution_method": inc.method,
            "is_production_failure": inc.is_production_failure,
            "deployment_id": d.id if d else None, "deployed_at": iso(d.deployed_at) if d else None,
            "truth_deployment_id": inc.truth_deployment_id,
            "recovery_hours": (inc.resolved_at - d.deployed_at) / 3600 if d and inc.resolved_at else None}  # fmt: skip
