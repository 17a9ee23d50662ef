"""One HTTP session per source: one base URL, one token, the one retry policy (retry.py).

Every request goes through `get`, which
- refuses a URL on another origin (scheme, host, port) than the configured base URL before sending
  anything, so a `Link` header cannot carry the token elsewhere; on redirects requests itself drops the
  Authorization header when the host, port or scheme changes;
- runs the request under the session's RetryPolicy (urllib3 makes no retries of its own: one layer only);
- turns a 4xx/5xx answer into an ExtractError with the vendor's own message, the token and the
  Authorization value replaced by '***' should the server echo them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from extractors.core.errors import ExtractError
from extractors.core.retry import RetryPolicy

DEFAULT_MAX_PAGES = 10_000  # pages in one paging loop: a guard against a server that always says "next"
USER_AGENT = "delivery-warehouse/0.1"
REDACTED = "***"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HINTS = {
    401: "check the token (token_env or the Airflow Connection)",
    403: "the token lacks permission for this resource",
}


@dataclass
class RequestCounter:
    requests: int = 0  # every attempt, retries included
    retries: int = 0
    by_stream: dict[str, int] = field(default_factory=dict)

    def add(self, stream: str) -> None:
        self.requests += 1
        self.by_stream[stream] = self.by_stream.get(stream, 0) + 1


class SourceSession:
    """A requests.Session bound to one base URL and one token, never exposing the token."""

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        auth_scheme: str = "Bearer",
        timeout: tuple[float, float] = (10.0, 60.0),
        retry: RetryPolicy | None = None,
        extra_headers: dict[str, str] | None = None,
        max_pages: int = DEFAULT_MAX_PAGES,
        secrets: tuple[str | None, ...] = (),
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.max_pages = max_pages
        self.counter = RequestCounter()
        self._origin = _origin(self.base_url)
        # what an error message must never show: the Authorization value, the token, and any raw secret the
        # token was built from (PagerDuty's `token=<key>`, Jira's base64 of user:token); the longest first
        self._secrets = tuple(sorted({s for s in secrets if s}, key=len, reverse=True))
        self._session = requests.Session()
        adapter = HTTPAdapter(max_retries=0, pool_connections=4, pool_maxsize=8)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.headers.update(extra_headers or {})
        if token:
            authorization = f"{auth_scheme} {token}"
            self._session.headers["Authorization"] = authorization
            self._secrets = tuple(sorted({authorization, token, *self._secrets}, key=len, reverse=True))

    def url(self, path_or_url: str) -> str:
        return path_or_url if path_or_url.startswith(("http://", "https://")) else self.base_url + path_or_url

    def get(self, path_or_url: str, params: dict[str, Any] | None = None, stream: str = "") -> requests.Response:
        """GET under the retry policy; returns the response once its status is below 400."""
        url = self.url(path_or_url)
        if _origin(url) != self._origin:
            scheme, host, port = self._origin
            raise ExtractError(
                f"refusing to follow a link to another origin: {_safe(url)} "
                f"(configured base URL origin {scheme}://{host}:{port})"
            )
        response = self.retry.run(f"GET {_safe(url)}", lambda attempt: self._send(url, params, stream, attempt))
        self._check_status(response, url)
        return response

    def get_json(
        self, path_or_url: str, params: dict[str, Any] | None = None, stream: str = ""
    ) -> tuple[Any, requests.Response]:
        response = self.get(path_or_url, params=params, stream=stream)
        try:
            return response.json(), response
        except (json.JSONDecodeError, requests.exceptions.JSONDecodeError) as exc:
            raise ExtractError(
                f"GET {_safe(response.url)} returned a body that is not JSON "
                f"(status {response.status_code}, {len(response.content)} bytes): {exc}"
            ) from None

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> SourceSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, url: str, params: dict[str, Any] | None, stream: str, attempt: int) -> requests.Response:
        """One attempt; the body is read here (stream=False), so a cut-off body raises inside the retry loop."""
        self.counter.add(stream)
        if attempt > 1:
            self.counter.retries += 1
        return self._session.get(url, params=params, timeout=self.timeout)

    def _check_status(self, response: requests.Response, url: str) -> None:
        if response.status_code < 400:
            return
        text = self._redact(response.text)  # before any truncation, so no fragment of a secret survives
        try:
            detail = _vendor_message(json.loads(text))
        except ValueError:
            detail = text[:200]
        hint = _HINTS.get(response.status_code)
        suffix = f" ({hint})" if hint else ""
        message = f"GET {_safe(url)} answered {response.status_code} {response.reason}: {detail}{suffix}"
        raise ExtractError(self._redact(message), status=response.status_code)

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _vendor_message(body: Any) -> str:
    """The error text: GitHub {message}, Jira {errorMessages, errors}, PagerDuty {error: {message, errors}}."""
    if not isinstance(body, dict):
        return str(body)[:300]
    parts: list[str] = []
    error = body.get("error")
    if isinstance(error, dict):
        parts.append(str(error.get("message") or ""))
        parts.extend(str(e) for e in error.get("errors") or [])
    elif error:
        parts.append(str(error))
    if body.get("message"):
        parts.append(str(body["message"]))
    parts.extend(str(m) for m in body.get("errorMessages") or [])
    if isinstance(body.get("errors"), dict):
        parts.extend(f"{k}: {v}" for k, v in body["errors"].items())
    return "; ".join(p for p in parts if p)[:300]


def _safe(url: str) -> str:
    """URLs never carry tokens here, but strip any query string that might (e.g. ?access_token=)."""
    return url.split("?access_token", 1)[0]
