"""Jira Cloud REST v3 endpoints: myself, project search, statuses, fields, JQL search, issue, changelog."""

import base64
import binascii
import zlib
from urllib.parse import urlencode

from simulator.jira import catalog, changelog, jql, shapes
from simulator.jira.timefmt import SITE_ZONE_NAME

SEARCH_DEFAULT, SEARCH_MAX = 50, 100
ISSUE_SQL = """SELECT w.*, r.name AS component FROM work_items w LEFT JOIN repos r ON r.id = w.repo_id"""


class JiraError(Exception):
    def __init__(self, status: int, *messages: str):
        super().__init__(messages)
        self.status, self.messages = status, list(messages)


def _int(value, default: int, low: int = 0, high: int | None = None) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, n if high is None else min(high, n))


def myself(req) -> dict:
    acc = "5b10ac8d82e05b22cc7d4ef5"  # the integration user the API token belongs to
    return {"self": f"{req.base}/rest/api/3/user?accountId={acc}", "accountId": acc, "accountType": "atlassian",
            "emailAddress": req.user_email or "delivery-warehouse@acme.test", "displayName": "Delivery Warehouse",
            "active": True, "timeZone": SITE_ZONE_NAME, "locale": "en_US",
            "groups": {"size": 1, "items": []}, "applicationRoles": {"size": 1, "items": []},
            "expand": "groups,applicationRoles"}  # fmt: skip


def _page(req, path: str, items: list, default: int, cap: int) -> dict:
    """Jira's startAt/maxResults page object with total, isLast and nextPage."""
    start = _int(req.one("startAt"), 0)
    size = _int(req.one("maxResults"), default, 1, cap)
    values = items[start : start + size]
    out = {"self": f"{req.base}{path}?{urlencode({'startAt': start, 'maxResults': size})}", "maxResults": size,
           "startAt": start, "total": len(items), "isLast": start + size >= len(items)}  # fmt: skip
    if not out["isLast"]:
        out["nextPage"] = f"{req.base}{path}?{urlencode({'startAt': start + size, 'maxResults': size})}"
    out["values"] = values
    return out


def project_search(req) -> dict:
    keys = {k for v in req.many("keys") for k in v.split(",") if k}
    rows = [p for p in req.site.projects if not keys or p[0] in keys or str(p[1]) in keys]
    return _page(req, "/rest/api/3/project/search", [shapes.project(req.base, p) for p in rows], 50, 50)


def statuses(req) -> list:
    return [catalog.status(req.base, name) for name in catalog.STATUSES]


def fields(req) -> list:
    return [catalog.field(f) for f in catalog.FIELDS]


def _wanted(values: list[str]) -> set[str] | None:
    """fields=...: `*all`/`*navigable` (all), a list, `-x` exclusions. None: every field."""
    names = [n.strip() for v in values for n in v.split(",") if n.strip()]
    if any(n in ("*all", "*navigable") for n in names):
        wanted = set(catalog.FIELD_IDS)
    else:
        wanted = {n for n in names if not n.startswith("-")}
    return wanted - {n[1:] for n in names if n.startswith("-")}


def _token(offset: int, text: str) -> str:
    raw = f"{offset}:{zlib.crc32(text.encode()):08x}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _offset(token: str | None, text: str) -> int:
    if not token:
        return 0
    try:
        offset, crc = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode().split(":")
        if crc == f"{zlib.crc32(text.encode()):08x}":
            return int(offset)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise JiraError(400, "The provided next page token is invalid or does not match the JQL query.")


def search(req) -> dict:
    """GET/POST /rest/api/3/search/jql: token paging, no total (the enhanced search has none)."""
    body = req.json_body()
    text = body.get("jql", req.one("jql")) or ""
    try:
        query = jql.parse(text)
    except jql.JqlError as exc:
        raise JiraError(400, str(exc)) from None
    known = {p[0].upper(): p for p in req.site.projects} | {str(p[1]): p for p in req.site.projects}
    for key in query.projects:
        if key.upper() not in known:
            raise JiraError(400, f"The value '{key}' does not exist for the field 'project'.")
    size = _int(body.get("maxResults", req.one("maxResults")), SEARCH_DEFAULT, 1, SEARCH_MAX)
    offset = _offset(body.get("nextPageToken", req.one("nextPageToken")), text)
    field_values = body.get("fields", req.many("fields"))
    field_values = [field_values] if isinstance(field_values, str) else list(field_values or [])
    expand = body.get("expand", req.one("expand")) or ""
    expand = ",".join(expand) if isinstance(expand, list) else expand

    where, params = ["1"], []
    if query.projects:
        keys = [known[k.upper()][0] for k in query.projects]
        where.append(f"w.project_key IN ({','.join('?' * len(keys))})")
        params += keys
    for column, op, when in query.bounds:
        where.append(f"w.{column} {op} ?")
        params.append(when)
    order = ", ".join(f"{c} {d}" for c, d in query.order) or "w.created_at DESC"
    sql = f"{ISSUE_SQL} WHERE {' AND '.join(where)} ORDER BY {order}, w.id LIMIT ? OFFSET ?"
    rows = req.conn.execute(sql, [*params, size + 1, offset]).fetchall()
    more, rows = len(rows) > size, rows[:size]

    if not field_values:  # the enhanced search returns only ids unless fields are asked for
        issues = [{"id": str(w["id"])} for w in rows]
    else:
        wanted = _wanted(field_values)
        issues = [shapes.issue(req.base, req.site, w, req.project(w["project_key"]), w["component"], wanted)
                  for w in rows]  # fmt: skip
    if "changelog" in {e.strip() for e in expand.split(",")} and rows:
        by_item = _transitions(req, [w["id"] for w in rows])
        for w, out in zip(rows, issues, strict=True):
            out["changelog"] = changelog.inline(changelog.histories(req.base, req.site, w, by_item.get(w["id"], [])))
    out = {"issues": issues, "isLast": not more}
    if more:
        out["nextPageToken"] = _token(offset + size, text)
    return out


def _transitions(req, ids: list[int]) -> dict[int, list]:
    by_item: dict[int, list] = {}
    sql = f"SELECT * FROM work_item_transitions WHERE work_item_id IN ({','.join('?' * len(ids))}) ORDER BY seq"
    for t in req.conn.execute(sql, ids):
        by_item.setdefault(t["work_item_id"], []).append(t)
    return by_item


def _find(req, id_or_key: str):
    column = "w.id" if id_or_key.isdigit() else "w.key"
    value = int(id_or_key) if id_or_key.isdigit() else id_or_key.upper()
    row = req.conn.execute(f"{ISSUE_SQL} WHERE {column} = ?", (value,)).fetchone()
    if row is None:
        raise JiraError(404, "Issue does not exist or you do not have permission to see it.")
    return row


def get_issue(req, id_or_key: str) -> dict:
    w = _find(req, id_or_key)
    values = req.many("fields")
    out = shapes.issue(req.base, req.site, w, req.project(w["project_key"]), w["component"],
                       _wanted(values) if values else None)  # fmt: skip
    if "changelog" in (req.one("expand") or "").split(","):
        out["changelog"] = changelog.inline(
            changelog.histories(req.base, req.site, w, _transitions(req, [w["id"]]).get(w["id"], []))
        )
    return out


def issue_changelog(req, id_or_key: str) -> dict:
    w = _find(req, id_or_key)
    hist = changelog.histories(req.base, req.site, w, _transitions(req, [w["id"]]).get(w["id"], []))
    return _page(req, f"/rest/api/3/issue/{id_or_key}/changelog", hist, 100, 100)
