"""SimServer: a loopback HTTP server speaking the GitHub REST API over a generated org.sqlite, plus Jira
Cloud under /jira and PagerDuty under /pagerduty (each vendor object brings its own auth and error shapes)."""

import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from simulator import store
from simulator.github import ratelimit
from simulator.github.api_base import Reply, Request, error
from simulator.github.directory import Directory
from simulator.github.faults import FaultBook
from simulator.github.routes import dispatch
from simulator.github.urls import Urls
from simulator.jira.api import JiraApi
from simulator.pagerduty.api import PagerDutyApi

ENTERPRISE_PREFIX = "/api/v3"
# The simulator's own well-known token: not a secret, never a real credential.
SIM_TOKEN = "sim-token"


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    sim: "SimServer"

    def handle_error(self, request, client_address):
        """Clients that hang up (timeouts in fault tests) are expected: stay quiet about those."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class SimServer:
    """Serve out_dir/org.sqlite as the GitHub, Jira and PagerDuty APIs. Usable as a context manager."""

    def __init__(
        self,
        out_dir,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = SIM_TOKEN,
        rate_limit: int = 5000,
    ):
        self.db_path = Path(out_dir).resolve() / "org.sqlite"
        if not self.db_path.exists():
            raise FileNotFoundError(f"{self.db_path} not found: run simulator.generate first")
        self.host, self.port, self.token = host, port, token
        self.faults = FaultBook()
        self.rate = ratelimit.RateLimiter(rate_limit)
        self.anonymous_rate = ratelimit.RateLimiter(60)  # what GitHub grants unauthenticated callers
        self._log: list[dict] = []
        self._log_lock = threading.Lock()
        self._local = threading.local()
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        with store.open_readonly(self.db_path) as conn:
            self.directory = Directory(conn)
        self.vendors = (JiraApi(), PagerDutyApi())

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> "SimServer":
        self._httpd = _HttpServer((self.host, self.port), _Handler)
        self._httpd.sim = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="sim-github", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def serve_forever(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> "SimServer":
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- test controls -------------------------------------------------------------------------
    def set_faults(self, faults: list[dict]) -> None:
        self.faults.set(faults)

    def request_log(self) -> list[dict]:
        with self._log_lock:
            return [dict(e) for e in self._log]

    def clear_request_log(self) -> None:
        with self._log_lock:
            self._log.clear()

    def _record(self, method: str, path: str, query: dict, status: int | None) -> None:
        with self._log_lock:
            self._log.append({"method": method, "path": path, "query": query, "status": status, "at": time.time()})

    def conn(self):
        """One read-only SQLite connection per server thread."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = store.open_readonly(self.db_path)
        return conn


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HttpServer

    def setup(self):
        super().setup()
        # Headers and body go out in separate writes; without TCP_NODELAY, Nagle plus delayed ACKs add
        # ~40 ms to every small response on a keep-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests read the request log instead
        pass

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PATCH(self):
        self._handle("PATCH")

    def do_PUT(self):
        self._handle("PUT")

    # -- plumbing ------------------------------------------------------------------------------
    def _handle(self, method: str) -> None:
        sim = self.server.sim
        body = self._read_body()
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        path = split.path.rstrip("/") or "/"
        if path.startswith("/_sim/"):
            return self._admin(method, path, body)
        vendor = next((v for v in sim.vendors if path == v.prefix or path.startswith(v.prefix + "/")), None)
        if vendor is not None:
            return self._vendor(vendor, method, split, query, body)
        api = sim.base_url
        if path.startswith(ENTERPRISE_PREFIX + "/") or path == ENTERPRISE_PREFIX:
            path, api = path[len(ENTERPRISE_PREFIX) :] or "/", api + ENTERPRISE_PREFIX
        fault = sim.faults.take(self.path)
        if fault and fault["kind"] == "reset":
            sim._record(method, split.path, query, None)
            return self._reset()
        token = self._token()
        if fault and fault["kind"] == "rate_limit":
            reply = error(429, "API rate limit exceeded for user.",
                          "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api")  # fmt: skip
            wait = int(fault.get("retry_after", 1))
            state = {"limit": sim.rate.limit, "remaining": 0, "reset": int(time.time()) + wait,
                     "used": sim.rate.limit}  # fmt: skip
            reply.headers.update({**ratelimit.headers(state), "Retry-After": str(wait)})
            return self._finish(method, split.path, query, reply, None)
        if fault and fault["kind"] == "server_error":
            status = int(fault.get("status", 502))
            return self._finish(method, split.path, query, Reply(status, {"message": "Server Error"}), None)
        if sim.token is not None and token != sim.token:
            return self._finish(method, split.path, query, error(401, "Bad credentials"), None)
        reply = self._rate_limit_body(token) if path == "/rate_limit" else self._api(method, path, query, api)
        state = sim.rate.spend(token or "") if path != "/rate_limit" else sim.rate.peek(token or "")
        reply.headers.update(ratelimit.headers(state))
        self._finish(method, split.path, query, reply, fault)

    def _vendor(self, vendor, method: str, split, query: dict, body: bytes) -> None:
        """Jira/PagerDuty: the same faults and request log as GitHub, with the vendor's own shapes."""
        sim = self.server.sim
        fault = sim.faults.take(self.path)
        kind = fault["kind"] if fault else None
        if kind == "reset":
            sim._record(method, split.path, query, None)
            return self._reset()
        auth = self.headers.get("Authorization", "")
        if kind == "rate_limit":
            reply = vendor.rate_limited(int(fault.get("retry_after", 1)))
        elif kind == "server_error":
            reply = vendor.server_error(int(fault.get("status", 502)))
        elif not vendor.authorized(auth, sim.token):
            reply = vendor.unauthorized()
        else:
            path = split.path.rstrip("/")[len(vendor.prefix) :] or "/"
            reply = vendor.handle(sim.conn(), sim.base_url, method, path, split.query, body, auth, sim.token)
        self._finish(method, split.path, query, reply, fault if kind in ("slow", "truncated") else None, False)

    def _api(self, method: str, path: str, query: dict, api: str) -> Reply:
        if method != "GET":
            return error(404, "Not Found")
        sim = self.server.sim
        urls = Urls(api=api, web=sim.base_url)
        req = Request(conn=sim.conn(), directory=sim.directory, urls=urls, url=api + path, query=query)
        return dispatch(req, path)

    def _rate_limit_body(self, token: str | None) -> Reply:
        s = self.server.sim.rate.peek(token or "")
        core = {k: s[k] for k in ("limit", "used", "remaining", "reset")}
        other = {"limit": 30, "used": 0, "remaining": 30, "reset": s["reset"]}
        resources = {"core": core, "search": other, "graphql": dict(core), "integration_manifest": other}
        return Reply(200, {"resources": resources, "rate": core})

    def _token(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        scheme, _, value = auth.partition(" ")
        return value.strip() if scheme.lower() in ("bearer", "token") and value.strip() else None

    def _finish(self, method: str, raw_path: str, query: dict, reply: Reply, fault: dict | None,
                github: bool = True) -> None:  # fmt: skip
        self.server.sim._record(method, raw_path, query, reply.status)
        if github and "x-ratelimit-limit" not in reply.headers:  # every API response carries the rate headers
            sim = self.server.sim
            token = self._token()
            known = sim.token is None or token == sim.token
            state = sim.rate.spend(token or "") if known else sim.anonymous_rate.spend("")
            reply.headers.update(ratelimit.headers(state))
        body = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        if github:
            self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
            self.send_header("X-GitHub-Api-Version-Selected", "2022-11-28")
        for key, value in reply.headers.items():
            self.send_header(key, value)
        kind = fault["kind"] if fault else None
        declared = len(body) + 1024 if kind == "truncated" else len(body)
        self.send_header("Content-Length", str(declared))
        self.end_headers()
        if kind == "slow":
            time.sleep(float(fault.get("delay", 1.0)))
        if kind == "truncated":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)

    def _reset(self) -> None:
        """Drop the connection with no response; SO_LINGER 0 makes the close an RST."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _admin(self, method: str, path: str, body: bytes) -> None:
        sim = self.server.sim
        if path == "/_sim/faults" and method == "POST":
            try:
                sim.set_faults(json.loads(body or b"[]"))
                reply = Reply(200, {"faults": sim.faults.pending()})
            except (ValueError, TypeError, AttributeError) as exc:
                reply = error(422, str(exc))
        elif path == "/_sim/faults" and method == "GET":
            reply = Reply(200, {"faults": sim.faults.pending()})
        elif path == "/_sim/requests" and method == "GET":
            reply = Reply(200, sim.request_log())
        elif path == "/_sim/requests" and method == "DELETE":
            sim.clear_request_log()
            reply = Reply(200, {"cleared": True})
        else:
            reply = error(404, "Not Found")
        body = json.dumps(reply.body).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
