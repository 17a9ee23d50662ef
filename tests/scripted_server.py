"""A loopback HTTP server whose answers a test scripts: real sockets, no mocks of requests/urllib3."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

Handler = Callable[[str, dict[str, list[str]], dict[str, str]], tuple[int, dict[str, str], Any]]


class ScriptedServer:
    """`handler(path, query, headers) -> (status, headers, body)`; body None means drop the connection."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, dict[str, list[str]], dict[str, str]]] = []
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((parts.path, query, headers))
                status, response_headers, body = outer.handler(parts.path, query, headers)
                if body is None:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                length = response_headers.pop("x-test-content-length", None)
                self.send_header("Content-Length", str(length or len(data)))
                for key, value in response_headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)
                if length:
                    self.close_connection = True

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def sequence(*responses: tuple[int, dict[str, str], Any]) -> Handler:
    """Answer each request with the next scripted response (the last one repeats)."""
    remaining = list(responses)

    def handler(path: str, query: dict[str, list[str]], headers: dict[str, str]):
        status, hdrs, body = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return status, dict(hdrs), body

    return handler
