"""PagerDuty REST v2 objects: references, incidents, log entries, services, teams, users."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from simulator.jira.people import ZONES
from simulator.pagerduty.ids import encode

PRIORITY_NAMES = ("P1", "P2", "P3", "P4", "P5")
COLORS = ("purple", "red", "green", "blue", "orange", "teal", "brown", "cayenne", "navy")


@dataclass(frozen=True)
class Ctx:
    api: str  # e.g. http://127.0.0.1:8765/pagerduty
    web: str  # html_url root
    zone: ZoneInfo | None  # the time_zone parameter; None renders UTC with Z

    def time(self, ts: int | None) -> str | None:
        if ts is None:
            return None
        if self.zone is None:
            return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return datetime.fromtimestamp(ts, self.zone).isoformat()


def ref(ctx: Ctx, kind: str, n: int, summary: str, path: str, web_path: str | None = None) -> dict:
    pid = encode(kind, n)
    out = {"id": pid, "type": f"{kind}_reference", "summary": summary, "self": f"{ctx.api}/{path}/{pid}",
           "html_url": f"{ctx.web}/{web_path or path}/{pid}"}  # fmt: skip
    return out


def user_ref(ctx: Ctx, people: dict, pid: int) -> dict:
    return ref(ctx, "user", pid, people[pid]["name"], "users")


def team_ref(ctx: Ctx, team) -> dict:
    return ref(ctx, "team", team["n"], team["name"], "teams")


def service_ref(ctx: Ctx, repo_id: int, name: str) -> dict:
    return ref(ctx, "service", repo_id, name, "services", "service-directory")


def policy_ref(ctx: Ctx, team) -> dict:
    return ref(ctx, "escalation_policy", team["n"], f"{team['name']} escalation", "escalation_policies")


def priority_ref(ctx: Ctx, name: str) -> dict:
    n = PRIORITY_NAMES.index(name) + 1
    out = ref(ctx, "priority", n, name, "priorities")
    out.pop("html_url")
    return out


def incident_summary(row) -> str:
    return f"[#{row['number']}] {row['title']}"


def description(row) -> str:
    """What the incident itself says about its cause (contract section 6)."""
    if row["deployment_id"]:
        return f"{row['title']} (deployment {row['deployment_id']})"
    if row["deployment_sha"]:
        return f"{row['title']} (commit {row['deployment_sha']})"
    return row["title"]


def incident(ctx: Ctx, people: dict, teams: dict, row) -> dict:
    """`row`: an incidents row joined with its repository's team key (`team_key`) and trigger entry (`trigger_id`)."""
    iid = encode("incident", row["id"])
    team = teams[row["team_key"]]
    service = service_ref(ctx, row["repo_id"], row["service"])
    assignee = user_ref(ctx, people, row["assignee_id"]) if row["assignee_id"] else None
    changed_at = row["resolved_at"] or row["acknowledged_at"] or row["created_at"]
    status = row["status"]
    out = {
        "id": iid, "type": "incident", "summary": incident_summary(row), "self": f"{ctx.api}/incidents/{iid}",
        "html_url": f"{ctx.web}/incidents/{iid}", "incident_number": row["number"], "title": row["title"],
        "description": description(row), "created_at": ctx.time(row["created_at"]),
        "updated_at": ctx.time(row["updated_at"]), "status": status,
        "incident_key": hashlib.sha1(f"incident:{row['id']}".encode()).hexdigest()[:32],  # noqa: S324 - an id
        "service": service,
        "assignments": [{"at": ctx.time(row["created_at"]), "assignee": assignee}] if assignee else [],
        "assigned_via": "escalation_policy", "last_status_change_at": ctx.time(changed_at),
        "last_status_change_by": assignee if status != "triggered" and assignee else service,
        "resolved_at": ctx.time(row["resolved_at"]),
        "first_trigger_log_entry": None, "alert_counts": {"all": 1, "triggered": int(status != "resolved"),
                                                           "resolved": int(status == "resolved")},
        "is_mergeable": True, "escalation_policy": policy_ref(ctx, team), "teams": [team_ref(ctx, team)],
        "pending_actions": [],
        "acknowledgements": [{"at": ctx.time(row["acknowledged_at"]), "acknowledger": assignee}]
        if row["acknowledged_at"] and assignee else [],
        "basic_alert_grouping": None, "alert_grouping": None, "urgency": row["urgency"],
        "priority": priority_ref(ctx, row["priority"]) if row["priority"] else None,
        "resolve_reason": None, "incidents_responders": [], "responder_requests": [], "subscriber_requests": [],
    }  # fmt: skip
    if row["trigger_id"]:
        entry = encode("log_entry", row["trigger_id"])
        out["first_trigger_log_entry"] = {
            "id": entry, "type": "trigger_log_entry_reference", "summary": "Triggered through the API",
            "self": f"{ctx.api}/log_entries/{entry}", "html_url": f"{ctx.web}/incidents/{iid}/log_entries/{entry}",
        }  # fmt: skip
    return out


CHANNELS = {"trigger_log_entry": "api", "escalate_log_entry": "timeout", "acknowledge_log_entry": "website",
            "resolve_log_entry": "website"}  # fmt: skip


def log_entry(ctx: Ctx, people: dict, teams: dict, row) -> dict:
    """`row`: an incident_log_entries row joined with its incident (`number`, `title`, `repo_id`, `service`,
    `team_key`)."""
    eid, iid = encode("log_entry", row["id"]), encode("incident", row["incident_id"])
    service = service_ref(ctx, row["repo_id"], row["service"])
    if row["agent_id"]:
        agent = user_ref(ctx, people, row["agent_id"])
    elif row["type"] == "trigger_log_entry":
        agent = service
    else:
        agent = None
    out = {
        "id": eid, "type": row["type"], "summary": row["summary"], "self": f"{ctx.api}/log_entries/{eid}",
        "html_url": f"{ctx.web}/incidents/{iid}/log_entries/{eid}", "created_at": ctx.time(row["created_at"]),
        "agent": agent, "channel": {"type": CHANNELS.get(row["type"], "api")}, "service": service,
        "incident": {"id": iid, "type": "incident_reference", "summary": f"[#{row['number']}] {row['title']}",
                     "self": f"{ctx.api}/incidents/{iid}", "html_url": f"{ctx.web}/incidents/{iid}"},
        "teams": [team_ref(ctx, teams[row["team_key"]])], "contexts": [],
    }  # fmt: skip
    if row["type"] == "trigger_log_entry":
        out["event_details"] = {"description": row["title"]}
        out["channel"]["summary"] = row["title"]
    return out


def service(ctx: Ctx, teams: dict, repo, last_incident: int | None) -> dict:
    team = teams[repo["team_key"]]
    out = service_ref(ctx, repo["id"], repo["full_name"])
    out.update({
        "type": "service", "name": repo["full_name"], "description": f"{repo['name']} production service",
        "auto_resolve_timeout": 14400, "acknowledgement_timeout": 1800, "created_at": ctx.time(repo["created_at"]),
        "status": "active",
        "last_incident_timestamp": ctx.time(last_incident), "escalation_policy": policy_ref(ctx, team),
        "teams": [team_ref(ctx, team)], "integrations": [], "incident_urgency_rule": {"type": "constant",
        "urgency": "high"}, "alert_creation": "create_alerts_and_incidents", "support_hours": None,
    })  # fmt: skip
    return out


def team(ctx: Ctx, t) -> dict:
    out = team_ref(ctx, t)
    out.update({"type": "team", "name": t["name"], "description": f"The {t['name']} team", "parent": None})
    return out


def user(ctx: Ctx, teams: dict, p) -> dict:
    out = ref(ctx, "user", p["id"], p["name"], "users")
    out.update({
        "type": "user", "name": p["name"], "email": p["email"], "time_zone": ZONES.get(p["tz_offset"], "Etc/UTC"),
        "color": COLORS[p["id"] % len(COLORS)], "role": "user", "avatar_url": None, "description": None,
        "invitation_sent": False, "job_title": None, "teams": [team_ref(ctx, teams[p["team_key"]])],
        "contact_methods": [], "notification_rules": [], "coordinated_incidents": [],
    })  # fmt: skip
    return out
