"""JiraApi: auth, errors and the route table of the Jira site SimServer serves under /jira."""

import base64
import binascii
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import parse_qs

from simulator.github.api_base import Reply
from simulator.jira import routes
from simulator.jira.people import Site

ISSUE = r"/rest/api/3/issue/([A-Za-z0-9-]+)"
ROUTES = [
    ("GET", re.compile(r"/rest/api/3/myself"), routes.myself),
    ("GET", re.compile(r"/rest/api/3/project/search"), routes.project_search),
    ("GET", re.compile(r"/rest/api/3/status"), routes.statuses),
    ("GET", re.compile(r"/rest/api/3/field"), routes.fields),
    ("GET", re.compile(r"/rest/api/3/search/jql"), routes.search),
    ("POST", re.compile(r"/rest/api/3/search/jql"), routes.search),
    ("GET", re.compile(ISSUE), routes.get_issue),
    ("GET", re.compile(ISSUE + "/changelog"), routes.issue_changelog),
]


def error(status: int, *messages: str) -> Reply:
    return Reply(status, {"errorMessages": list(messages), "errors": {}})


@dataclass
class JiraRequest:
    conn: object
    site: Site
    base: str  # the site base URL, e.g. http://127.0.0.1:8765/jira
    query: dict[str, list[str]]
    body: bytes
    user_email: str | None = None
    _json: dict | None = field(default=None, repr=False)

    def one(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def many(self, name: str) -> list[str]:
        return self.query.get(name, [])

    def json_body(self) -> dict:
        if self._json is None:
            try:
                self._json = json.loads(self.body) if self.body else {}
            except ValueError:
                raise routes.JiraError(400, "Invalid request payload. Refer to the REST API documentation.") from None
            if not isinstance(self._json, dict):
                raise routes.JiraError(400, "Invalid request payload. Refer to the REST API documentation.")
        return self._json

    def project(self, key: str):
        return next(p for p in self.site.projects if p[0] == key)


class JiraApi:
    prefix = "/jira"

    def __init__(self):
        self._site: Site | None = None
        self._lock = threading.Lock()

    def _basic_user(self, auth: str, token: str | None) -> str | None:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            email, _, secret = base64.b64decode(value.strip()).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        return email if secret == token and email else None

    def authorized(self, auth: str, token: str | None) -> bool:
        """Basic <email>:<token> (Cloud API token) or Bearer <token> (a PAT, as on Server/DC)."""
        if token is None:
            return True
        scheme, _, value = auth.partition(" ")
        return (scheme.lower() == "bearer" and value.strip() == token) or self._basic_user(auth, token) is not None

    def unauthorized(self) -> Reply:
        return error(401, "You are not authenticated. Authentication required to perform this operation.")

    def rate_limited(self, wait: int) -> Reply:
        reset = datetime.fromtimestamp(int(time.time()) + wait, UTC).strftime("%Y-%m-%dT%H:%MZ")
        reply = error(429, "Rate limit exceeded.")
        reply.headers.update({"Retry-After": str(wait), "X-RateLimit-Limit": "100", "X-RateLimit-Remaining": "0",
                              "X-RateLimit-Reset": reset, "RateLimit-Reason": "jira-burst-based"})  # fmt: skip
        return reply

    def server_error(self, status: int) -> Reply:
        return error(status, "Internal server error.")

    def handle(self, conn, base: str, method: str, path: str, raw_query: str, body: bytes, auth: str,
               token: str | None) -> Reply:  # fmt: skip
        with self._lock:
            if self._site is None:
                self._site = Site(conn)
        req = JiraRequest(conn=conn, site=self._site, base=base + self.prefix,
                          query=parse_qs(raw_query, keep_blank_values=True), body=body,
                          user_email=self._basic_user(auth, token))  # fmt: skip
        known_path = False
        for verb, pattern, handler in ROUTES:
            m = pattern.fullmatch(path)
            if m:
                known_path = True
                if verb == method:
                    try:
                        return Reply(200, handler(req, *m.groups()))
                    except routes.JiraError as exc:
                        return error(exc.status, *exc.messages)
        return error(405 if known_path else 404, "Method Not Allowed" if known_path else "Not Found")
