"""PagerDutyApi: auth, errors and the route table of the account SimServer serves under /pagerduty."""

import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from simulator.github import ratelimit
from simulator.github.api_base import Reply
from simulator.pagerduty import routes
from simulator.pagerduty.ids import decode
from simulator.pagerduty.shapes import Ctx
from simulator.pagerduty.window import InputError
from simulator.timeutil import parse_iso

ID = r"/([A-Z0-9]+)"
ROUTES = [
    (re.compile(r"/incidents"), routes.list_incidents),
    (re.compile(r"/incidents" + ID), routes.get_incident),
    (re.compile(r"/incidents" + ID + "/log_entries"), routes.incident_log_entries),
    (re.compile(r"/log_entries"), routes.list_log_entries),
    (re.compile(r"/services"), routes.list_services),
    (re.compile(r"/services" + ID), routes.get_service),
    (re.compile(r"/teams"), routes.list_teams),
    (re.compile(r"/users"), routes.list_users),
    (re.compile(r"/users" + ID), routes.get_user),
    (re.compile(r"/priorities"), routes.list_priorities),
]
RATE_LIMIT = 960  # requests per minute per REST API key


def error(status: int, message: str, code: int, errors: list | None = None) -> Reply:
    body = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return Reply(status, {"error": body})


class Account:
    """People, teams and "now" (the end of the observed window), loaded once per server."""

    def __init__(self, conn: sqlite3.Connection):
        self.people = {p["id"]: p for p in conn.execute("SELECT * FROM people")}
        rows = conn.execute("SELECT rowid AS n, key, name FROM teams ORDER BY rowid").fetchall()
        self.teams = {t["key"]: {"n": t["n"], "key": t["key"], "name": t["name"]} for t in rows}
        self._team_by_n = {t["n"]: t["key"] for t in self.teams.values()}
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.now = parse_iso(meta.get("observed_until", meta["window_end"]))

    def team_by_id(self, pd_id: str) -> str | None:
        return self._team_by_n.get(decode("team", pd_id))


@dataclass
class PagerDutyRequest:
    conn: sqlite3.Connection
    account: Account
    ctx: Ctx
    query: dict[str, list[str]]


class PagerDutyApi:
    prefix = "/pagerduty"

    def __init__(self):
        self._account: Account | None = None
        self._lock = threading.Lock()
        self.rate = ratelimit.RateLimiter(RATE_LIMIT, window=60)

    def authorized(self, auth: str, token: str | None) -> bool:
        """`Authorization: Token token=<key>` only, as the REST API v2 expects."""
        if token is None:
            return True
        scheme, _, value = auth.partition(" ")
        return scheme == "Token" and value.strip() == f"token={token}"

    def unauthorized(self) -> Reply:
        return error(401, "Authentication failed", 2006)

    def _rate_headers(self, state: dict, reset_in: int) -> dict:
        return {"ratelimit-limit": str(state["limit"]), "ratelimit-remaining": str(max(0, state["remaining"])),
                "ratelimit-reset": str(reset_in)}  # fmt: skip

    def rate_limited(self, wait: int) -> Reply:
        """429 with ratelimit-* headers (reset in seconds) and, like PagerDuty, no Retry-After."""
        reply = error(429, "Rate Limit Exceeded", 2020)
        reply.headers.update(self._rate_headers({"limit": RATE_LIMIT, "remaining": 0}, wait))
        return reply

    def server_error(self, status: int) -> Reply:
        return error(status, "Internal Server Error", 2000)

    def handle(self, conn, base: str, method: str, path: str, raw_query: str, body: bytes, auth: str,
               token: str | None) -> Reply:  # fmt: skip
        with self._lock:
            if self._account is None:
                self._account = Account(conn)
        reply = self._route(conn, base, method, path, parse_qs(raw_query, keep_blank_values=True))
        state = self.rate.spend(token or "")
        reply.headers.update(self._rate_headers(state, max(0, state["reset"] - int(time.time()))))
        return reply

    def _route(self, conn, base: str, method: str, path: str, query: dict) -> Reply:
        zone = None
        if query.get("time_zone"):
            try:
                zone = ZoneInfo(query["time_zone"][-1])
            except (ZoneInfoNotFoundError, ValueError):
                return error(400, "Invalid Input Provided", 2001, ["Time zone is not a valid time zone"])
        root = base + self.prefix
        req = PagerDutyRequest(conn, self._account, Ctx(api=root, web=root, zone=zone), query)
        for pattern, handler in ROUTES:
            m = pattern.fullmatch(path)
            if m:
                if method != "GET":
                    return error(405, "Method Not Allowed", 2100)
                try:
                    return Reply(200, handler(req, *m.groups()))
                except InputError as exc:
                    return error(400, "Invalid Input Provided", 2001, [str(exc)])
                except routes.NotFound:
                    break
        return error(404, "Not Found", 2100)
