"""Deployment and incident events a team's tools push (docs/EVENTS.md), for the repositories that deploy that way.

Their deploys are in the store's deployments tables (what happened) but GitHub serves no Deployments for
them, and their incidents are in the incidents table but PagerDuty does not serve them: the events folder,
read by the pipeline's `events` source, is the only place they can be found. One file per kind and
snapshot; a deploy still running at the cutoff is `in_progress`, an incident still open has no
`resolved_at` (the next snapshot's file says how it ended, under the same id). An incident names the
deployment event that caused it (`deployment_id`) or the commit (`sha`) when its alert did, and a
monorepo's service when its cause was that service's deployment.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from simulator.timeutil import iso

VIA = "pushed_events"
FOLDER = "events"


def write(conn: sqlite3.Connection, out_dir: Path) -> Path:
    """out_dir/events/deployments.jsonl and incidents.jsonl (empty when no repository deploys this way)."""
    folder = out_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    rows = conn.execute(
        """SELECT d.id, coalesce(d.service, r.name), r.full_name, d.environment, d.sha, d.created_at, u.login,
                  (SELECT s.state FROM deployment_statuses s WHERE s.deployment_id = d.id
                   ORDER BY s.created_at DESC, s.id DESC LIMIT 1) AS state,
                  (SELECT max(s.created_at) FROM deployment_statuses s WHERE s.deployment_id = d.id) AS at
           FROM deployments d JOIN repos r ON r.id = d.repo_id LEFT JOIN people u ON u.id = d.creator_id
           WHERE r.deploys_via = ? ORDER BY d.created_at, d.id""",
        (VIA,),
    ).fetchall()
    lines = []
    for dep_id, service, repository, environment, sha, started, actor, state, at in rows:
        finished = state in ("success", "failure", "error")
        event = {
            "schema": "delivery.deployment/v1", "id": f"deploy-{dep_id}", "service": service,
            "repository": repository, "environment": environment, "sha": sha, "started_at": iso(started),
            "finished_at": iso(at) if finished else None, "status": state if finished else "in_progress",
            **({"actor": actor} if actor else {}),
        }  # fmt: skip
        lines.append(json.dumps(event, separators=(",", ":")))
    path = folder / "deployments.jsonl"
    path.write_text("".join(f"{line}\n" for line in lines))
    (folder / "incidents.jsonl").write_text("".join(f"{line}\n" for line in _incident_lines(conn)))
    return folder


def _incident_lines(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        """SELECT i.id, i.service, r.name, r.full_name, i.title, i.urgency, i.created_at, i.resolved_at,
                  i.deployment_id, i.deployment_sha
           FROM incidents i JOIN repos r ON r.id = i.repo_id WHERE r.deploys_via = ? ORDER BY i.created_at, i.id""",
        (VIA,),
    ).fetchall()
    lines = []
    for inc_id, service, name, repository, title, urgency, started, resolved, deployment_id, sha in rows:
        event = {
            "schema": "delivery.incident/v1", "id": f"incident-{inc_id}",
            "service": name if service == repository else service, "repository": repository, "title": title,
            "urgency": urgency, "started_at": iso(started),
            **({"resolved_at": iso(resolved)} if resolved is not None else {}),
            **({"deployment_id": f"deploy-{deployment_id}"} if deployment_id is not None else {}),
            **({"sha": sha} if sha else {}),
        }  # fmt: skip
        lines.append(json.dumps(event, separators=(",", ":")))
    return lines
