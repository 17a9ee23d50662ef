"""PagerDuty REST v2 endpoints: incidents, log entries, services, teams, users, priorities."""

from simulator.pagerduty import shapes
from simulator.pagerduty.ids import decode
from simulator.pagerduty.window import InputError, time_range
from simulator.pushed_events import VIA as PUSHED

DEFAULT_LIMIT, MAX_LIMIT = 25, 100
# the incidents of repositories whose tools push events are in the events folder, not PagerDuty (pushed_events.py)
PAGED = f"JOIN repos r ON r.id = i.repo_id AND r.deploys_via != '{PUSHED}'"
INCIDENT_SQL = f"""SELECT i.*, r.team_key, (SELECT min(l.id) FROM incident_log_entries l
                  WHERE l.incident_id = i.id AND l.type = 'trigger_log_entry') AS trigger_id
                  FROM incidents i {PAGED}"""
LOG_SQL = f"""SELECT l.*, i.number, i.title, i.repo_id, i.service, r.team_key FROM incident_log_entries l
             JOIN incidents i ON i.id = l.incident_id {PAGED}"""
SORTS = {"created_at": "i.created_at", "incident_number": "i.number", "resolved_at": "i.resolved_at"}


class NotFound(Exception):
    pass


def _int(values: list | None, default: int) -> int:
    try:
        return int(values[-1]) if values else default
    except ValueError:
        raise InputError("Offset and limit must be integers") from None


def _multi(query: dict, name: str) -> list[str]:
    """`statuses[]=a&statuses[]=b` (also accepted without brackets or comma-joined)."""
    return [v for raw in query.get(f"{name}[]", []) + query.get(name, []) for v in raw.split(",") if v]


def paged(req, key: str, sql: str, params: list, render) -> dict:
    """Classic offset/limit paging: `more`, and `total` only when total=true (it costs PagerDuty a count)."""
    offset = max(0, _int(req.query.get("offset"), 0))
    limit = min(MAX_LIMIT, max(1, _int(req.query.get("limit"), DEFAULT_LIMIT)))
    rows = req.conn.execute(f"{sql} LIMIT ? OFFSET ?", [*params, limit + 1, offset]).fetchall()
    total = None
    if (req.query.get("total") or ["false"])[-1].lower() == "true":
        total = req.conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]
    return {key: [render(r) for r in rows[:limit]], "limit": limit, "offset": offset, "total": total,
            "more": len(rows) > limit}  # fmt: skip


def _in(column: str, values: list) -> tuple[str, list]:
    return f"{column} IN ({','.join('?' * len(values))})", list(values)


def list_incidents(req) -> dict:
    where, params = ["1"], []
    since, until = time_range(req.query, req.account.now)
    if since is not None:
        where.append("i.created_at >= ? AND i.created_at < ?")
        params += [since, until]
    statuses = _multi(req.query, "statuses")
    if statuses:
        clause, values = _in("i.status", statuses)
        where.append(clause)
        params += values
    urgencies = _multi(req.query, "urgencies")
    if urgencies:
        clause, values = _in("i.urgency", urgencies)
        where.append(clause)
        params += values
    services = [decode("service", s) for s in _multi(req.query, "service_ids")]
    if services:
        clause, values = _in("i.repo_id", services)
        where.append(clause)
        params += values
    teams = [req.account.team_by_id(t) for t in _multi(req.query, "team_ids")]
    if teams:
        clause, values = _in("r.team_key", teams)
        where.append(clause)
        params += values
    order = []
    for item in _multi(req.query, "sort_by") or ["created_at:asc"]:
        name, _, direction = item.partition(":")
        if name not in SORTS:
            raise InputError(f"Invalid sort_by field: {name}")
        order.append(f"{SORTS[name]} {'DESC' if direction.lower() == 'desc' else 'ASC'}")
    sql = f"{INCIDENT_SQL} WHERE {' AND '.join(where)} ORDER BY {', '.join(order)}, i.id"
    a = req.account
    return paged(req, "incidents", sql, params, lambda r: shapes.incident(req.ctx, a.people, a.teams, r))


def _incident_row(req, pd_id: str):
    n = decode("incident", pd_id)
    row = req.conn.execute(f"{INCIDENT_SQL} WHERE i.id = ?", (n,)).fetchone() if n is not None else None
    if row is None:
        raise NotFound
    return row


def get_incident(req, pd_id: str) -> dict:
    a = req.account
    return {"incident": shapes.incident(req.ctx, a.people, a.teams, _incident_row(req, pd_id))}


def _log_reply(req, where: list, params: list) -> dict:
    # Newest first, as PagerDuty lists log entries.
    sql = f"{LOG_SQL} WHERE {' AND '.join(where)} ORDER BY l.created_at DESC, l.id DESC"
    a = req.account
    return paged(req, "log_entries", sql, params, lambda r: shapes.log_entry(req.ctx, a.people, a.teams, r))


def incident_log_entries(req, pd_id: str) -> dict:
    row = _incident_row(req, pd_id)
    where, params = ["l.incident_id = ?"], [row["id"]]
    since, until = time_range(req.query, req.account.now, default_window=False)
    if since is not None:
        where.append("l.created_at >= ? AND l.created_at < ?")
        params += [since, until]
    return _log_reply(req, where, params)


def list_log_entries(req) -> dict:
    where, params = ["1"], []
    since, until = time_range(req.query, req.account.now)
    if since is not None:
        where.append("l.created_at >= ? AND l.created_at < ?")
        params += [since, until]
    # is_overview=true keeps only the major state changes; every entry the simulator writes is one.
    return _log_reply(req, where, params)


def list_services(req) -> dict:
    sql = """SELECT r.*, (SELECT max(created_at) FROM incidents i WHERE i.repo_id = r.id) AS last_incident
             FROM repos r ORDER BY r.full_name"""
    return paged(req, "services", sql, [],
                 lambda r: shapes.service(req.ctx, req.account.teams, r, r["last_incident"]))  # fmt: skip


def get_service(req, pd_id: str) -> dict:
    n = decode("service", pd_id)
    sql = """SELECT r.*, (SELECT max(created_at) FROM incidents i WHERE i.repo_id = r.id) AS last_incident
             FROM repos r WHERE r.id = ?"""
    row = req.conn.execute(sql, (n,)).fetchone() if n is not None else None
    if row is None:
        raise NotFound
    return {"service": shapes.service(req.ctx, req.account.teams, row, row["last_incident"])}


def list_teams(req) -> dict:
    teams = sorted(req.account.teams.values(), key=lambda t: t["name"])
    return _paged_list(req, "teams", [shapes.team(req.ctx, t) for t in teams])


def list_users(req) -> dict:
    return paged(req, "users", "SELECT * FROM people ORDER BY name, id", [],
                 lambda p: shapes.user(req.ctx, req.account.teams, p))  # fmt: skip


def get_user(req, pd_id: str) -> dict:
    n = decode("user", pd_id)
    row = req.conn.execute("SELECT * FROM people WHERE id = ?", (n,)).fetchone() if n is not None else None
    if row is None:
        raise NotFound
    return {"user": shapes.user(req.ctx, req.account.teams, row)}


def list_priorities(req) -> dict:
    items = []
    for name in shapes.PRIORITY_NAMES:
        p = shapes.priority_ref(req.ctx, name)
        items.append({**p, "type": "priority", "name": name, "description": f"Priority {name}"})
    return _paged_list(req, "priorities", items)


def _paged_list(req, key: str, items: list) -> dict:
    offset = max(0, _int(req.query.get("offset"), 0))
    limit = min(MAX_LIMIT, max(1, _int(req.query.get("limit"), DEFAULT_LIMIT)))
    total = len(items) if (req.query.get("total") or ["false"])[-1].lower() == "true" else None
    return {key: items[offset : offset + limit], "limit": limit, "offset": offset, "total": total,
            "more": offset + limit < len(items)}  # fmt: skip
