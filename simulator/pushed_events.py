"""Deployment events a deploy tool pushes (docs/EVENTS.md), for the repositories that deploy that way.

Their deploys are in the store's deployments tables (what happened) but GitHub serves no Deployments for
them: the events folder, read by the pipeline's `events` source, is the only place they can be found.
One file per snapshot; a deploy still running at the cutoff is `in_progress` (the next snapshot's file
says how it ended, under the same id).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from simulator.timeutil import iso

VIA = "pushed_events"
FOLDER = "events"


def write(conn: sqlite3.Connection, out_dir: Path) -> Path:
    """out_dir/events/deployments.jsonl (empty when no repository deploys this way); the folder."""
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
    return folder
