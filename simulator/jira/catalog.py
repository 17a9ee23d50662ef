"""The site's fixed configuration: statuses, issue types, priorities and fields (ids as a Cloud site has them)."""

STORY_POINTS = "customfield_10016"
SPRINT = "customfield_10020"
CATEGORIES = {  # statusCategory key -> (id, colour, name), as /rest/api/3/statuscategory lists them
    "new": (2, "blue-gray", "To Do"),
    "indeterminate": (4, "yellow", "In Progress"),
    "done": (3, "green", "Done"),
}
STATUSES = {  # name -> (id, category key, description)
    "To Do": ("10000", "new", "Work that has not been started."),
    "In Progress": ("3", "indeterminate", "This issue is being actively worked on at the moment."),
    "In Review": ("10001", "indeterminate", "Waiting for review."),
    "Done": ("10002", "done", "Work has been completed."),
}
ISSUE_TYPES = {  # name -> (id, description)
    "Task": ("10001", "A small, distinct piece of work."),
    "Story": ("10002", "Functionality or a feature expressed as a user goal."),
    "Bug": ("10003", "A problem or error."),
    "Customer Request": ("10004", "A request raised by a customer."),
}
PRIORITIES = {"Highest": "1", "High": "2", "Medium": "3", "Low": "4", "Lowest": "5"}
RESOLUTION_DONE = ("10000", "Done", "Work has been completed on this issue.")

# (id, name, custom, schema type, system name or custom type key)
FIELDS = [
    ("summary", "Summary", False, "string", "summary"),
    ("issuetype", "Issue Type", False, "issuetype", "issuetype"),
    ("project", "Project", False, "project", "project"),
    ("status", "Status", False, "status", "status"),
    ("created", "Created", False, "datetime", "created"),
    ("updated", "Updated", False, "datetime", "updated"),
    ("resolutiondate", "Resolved", False, "datetime", "resolutiondate"),
    ("resolution", "Resolution", False, "resolution", "resolution"),
    ("reporter", "Reporter", False, "user", "reporter"),
    ("creator", "Creator", False, "user", "creator"),
    ("assignee", "Assignee", False, "user", "assignee"),
    ("labels", "Labels", False, "array", "labels"),
    ("components", "Components", False, "array", "components"),
    ("environment", "Environment", False, "string", "environment"),
    ("description", "Description", False, "string", "description"),
    ("priority", "Priority", False, "priority", "priority"),
    ("issuelinks", "Linked Issues", False, "array", "issuelinks"),
    (STORY_POINTS, "Story Points", True, "number", "com.atlassian.jira.plugin.system.customfieldtypes:float"),
    (SPRINT, "Sprint", True, "array", "com.pyxis.greenhopper.jira:gh-sprint"),
    ("customfield_10019", "Rank", True, "any", "com.pyxis.greenhopper.jira:gh-lexo-rank"),
    (
        "customfield_10021",
        "Flagged",
        True,
        "array",
        "com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes",
    ),
]
FIELD_IDS = [f[0] for f in FIELDS]


def field(f: tuple) -> dict:
    fid, name, custom, kind, system = f
    schema = {"type": kind}
    if kind == "array":
        schema["items"] = {"labels": "string", "components": "component", "issuelinks": "issuelinks",
                           SPRINT: "json"}.get(fid, "option")  # fmt: skip
    if custom:
        schema.update({"custom": system, "customId": int(fid.rsplit("_", 1)[1])})
    else:
        schema["system"] = system
    out = {"id": fid, "key": fid, "name": name, "custom": custom, "orderable": True, "navigable": True,
           "searchable": True, "clauseNames": [f"cf[{fid.rsplit('_', 1)[1]}]", name] if custom else [fid],
           "schema": schema}  # fmt: skip
    if custom:
        out["untranslatedName"] = name
    return out


def status_category(base: str, key: str) -> dict:
    cid, colour, name = CATEGORIES[key]
    return {"self": f"{base}/rest/api/3/statuscategory/{cid}", "id": cid, "key": key, "colorName": colour,
            "name": name}  # fmt: skip


def status(base: str, name: str) -> dict:
    sid, category, description = STATUSES[name]
    return {"self": f"{base}/rest/api/3/status/{sid}", "description": description,
            "iconUrl": f"{base}/images/icons/statuses/generic.png", "name": name, "untranslatedName": name,
            "id": sid, "statusCategory": status_category(base, category)}  # fmt: skip


def issue_type(base: str, name: str) -> dict:
    tid, description = ISSUE_TYPES[name]
    return {"self": f"{base}/rest/api/3/issuetype/{tid}", "id": tid, "description": description,
            "iconUrl": f"{base}/rest/api/2/universal_avatar/view/type/issuetype/avatar/{tid}?size=medium",
            "name": name, "subtask": False, "avatarId": int(tid), "hierarchyLevel": 0}  # fmt: skip


def priority(base: str, name: str) -> dict:
    pid = PRIORITIES[name]
    icon = f"{base}/images/icons/priorities/{name.lower()}.svg"
    return {"self": f"{base}/rest/api/3/priority/{pid}", "iconUrl": icon, "name": name, "id": pid}


def resolution(base: str) -> dict:
    rid, name, description = RESOLUTION_DONE
    return {"self": f"{base}/rest/api/3/resolution/{rid}", "id": rid, "description": description, "name": name}
