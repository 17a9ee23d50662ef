"""Issue and project JSON, field for field as Jira Cloud REST v3 returns them."""

import json

from simulator.jira import catalog
from simulator.jira.catalog import SPRINT, STORY_POINTS
from simulator.jira.people import Site, user
from simulator.jira.timefmt import jira_time, utc_time


def project(base: str, p) -> dict:
    key, pid, name, _ = p
    avatars = {f"{n}x{n}": f"{base}/rest/api/3/universal_avatar/view/type/project/avatar/{pid}?size={n}"
               for n in (48, 24, 16, 32)}  # fmt: skip
    return {"expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
            "self": f"{base}/rest/api/3/project/{pid}", "id": str(pid), "key": key, "name": name,
            "avatarUrls": avatars, "projectTypeKey": "software", "simplified": False, "style": "classic",
            "isPrivate": False, "properties": {}}  # fmt: skip


def adf(text: str | None) -> dict | None:
    """Atlassian Document Format: v3 returns rich-text fields (environment, description) as documents."""
    if not text:
        return None
    return {"type": "doc", "version": 1,
            "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}]}  # fmt: skip


def sprint(site: Site, project_id: int, name: str | None) -> list | None:
    if not name:
        return None
    number = int(name.rsplit(" ", 1)[1])
    board = project_id - 10_000
    start, end = site.sprint_bounds(number)
    state = "closed" if end <= site.now else ("active" if start <= site.now else "future")
    out = {"id": board * 1000 + number, "name": name, "state": state, "boardId": board, "goal": "",
           "startDate": utc_time(start), "endDate": utc_time(end)}  # fmt: skip
    if state == "closed":
        out["completeDate"] = utc_time(end)
    return [out]


def all_fields(base: str, site: Site, w, project_row, component: str | None) -> dict:
    """Every field of a work_items row `w` (joined with its repository name as `component`)."""
    key, pid, pname, _ = project_row
    priority = "High" if w["type"] == "Bug" and w["environment"] == "production" else "Medium"
    reporter = user(base, site, w["reporter_id"])
    return {
        "summary": w["summary"],
        "issuetype": catalog.issue_type(base, w["type"]),
        "project": {k: v for k, v in project(base, project_row).items()
                    if k in ("self", "id", "key", "name", "projectTypeKey", "simplified", "avatarUrls")},
        "status": catalog.status(base, w["status"]),
        "created": jira_time(w["created_at"]),
        "updated": jira_time(w["updated_at"]),
        "resolutiondate": jira_time(w["resolved_at"]),
        "resolution": catalog.resolution(base) if w["resolved_at"] is not None else None,
        "reporter": reporter,
        "creator": reporter,
        "assignee": user(base, site, w["assignee_id"]),
        "labels": json.loads(w["labels"] or "[]"),
        "components": [{"self": f"{base}/rest/api/3/component/{w['repo_id']}", "id": str(w["repo_id"]),
                        "name": component}] if component else [],
        "environment": adf(w["environment"]),
        "description": None,
        "priority": catalog.priority(base, priority),
        "issuelinks": [],
        STORY_POINTS: float(w["story_points"]) if w["story_points"] is not None else None,
        SPRINT: sprint(site, pid, w["sprint"]),
        "customfield_10019": f"0|i{w['id'] % 100000:05d}:",
        "customfield_10021": None,
    }  # fmt: skip


def issue(base: str, site: Site, w, project_row, component, wanted: set[str] | None) -> dict:
    """wanted: the field ids to include (None = all)."""
    fields = all_fields(base, site, w, project_row, component)
    if wanted is not None:
        fields = {k: v for k, v in fields.items() if k in wanted}
    return {"expand": "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
            "id": str(w["id"]), "self": f"{base}/rest/api/3/issue/{w['id']}", "key": w["key"],
            "fields": fields}  # fmt: skip
