"""One HTTP session per source: timeouts, bounded retries with backoff, rate-limit aware.

Retries on 429/5xx and connection errors are urllib3's Retry; the additions are honouring
`x-ratelimit-reset` (GitHub, GitLab: epoch seconds) and `ratelimit-reset` (PagerDuty: seconds to wait)
when a 403/429 carries no Retry-After, and never retrying a bare 429 at once. Body-level failures
(a connection closed mid-body) happen after urllib3 hands over the response, so `get_json` retries
those itself, with the same bounded budget.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from extractors.core.errors import ExtractError

log = logging.getLogger(__name__)

RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_WAIT_SECONDS = 900  # never sleep longer than this for one rate-limit window
MIN_429_WAIT_SECONDS = 1.0  # a 429 without any hint still waits (urllib3 would retry the first at once)
_HINTS = {
    401: "check the token (token_env or the Airflow Connection)",
    403: "the token lacks permission for this resource",
}
USER_AGENT = "delivery-warehouse/0.1"


class RateLimitRetry(Retry):
    """Retry that also waits for `x-ratelimit-reset` when the quota is exhausted."""

    def get_retry_after(self, response: Any) -> float | None:
        retry_after = super().get_retry_after(response)
        if retry_after is not None:
            return min(retry_after, MAX_WAIT_SECONDS)
        if response.headers.get("x-ratelimit-remaining") == "0":
            reset = response.headers.get("x-ratelimit-reset")
            if reset and reset.isdigit():
                return min(max(int(reset) - time.time(), 0.0) + 1.0, MAX_WAIT_SECONDS)
        if getattr(response, "status", None) == 429:  # urllib3 responses only
            reset = response.headers.get("ratelimit-reset", "").strip()
            if reset.isdigit():
                return float(min(max(int(reset), 1), MAX_WAIT_SECONDS))
            return max(self.get_backoff_time(), MIN_429_WAIT_SECONDS)
        return None

    @staticmethod
    def quota_exhausted(response: requests.Response) -> bool:
        """GitHub signals an exhausted primary quota with 403 (not retried by status) and remaining 0."""
        return response.status_code in (403, 429) and response.headers.get("x-ratelimit-remaining") == "0"


def build_retry(total: int = 5, backoff_factor: float = 0.5) -> RateLimitRetry:
    return RateLimitRetry(
        total=total,
        connect=total,
        read=total,
        status=total,
        other=0,
        backoff_factor=backoff_factor,
        backoff_max=60,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


@dataclass
class RequestCounter:
    requests: int = 0
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
        retry: Retry | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or build_retry()
        self.counter = RequestCounter()
        self._session = requests.Session()
        adapter = HTTPAdapter(max_retries=self.retry, pool_connections=4, pool_maxsize=8)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._session.headers["User-Agent"] = USER_AGENT
        self._session.headers.update(extra_headers or {})
        if token:
            self._session.headers["Authorization"] = f"{auth_scheme} {token}"

    def url(self, path_or_url: str) -> str:
        return path_or_url if path_or_url.startswith(("http://", "https://")) else self.base_url + path_or_url

    def get(self, path_or_url: str, params: dict[str, Any] | None = None, stream: str = "") -> requests.Response:
        """GET with retries; returns the response after checking its status."""
        url = self.url(path_or_url)
        attempts = self.retry.total + 1
        for attempt in range(attempts):
            self.counter.add(stream)
            try:
                response = self._session.get(url, params=params, timeout=self.timeout)
                response.content  # noqa: B018 - read the body now so a cut-off body is retried here
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError) as exc:
                if attempt + 1 == attempts:
                    raise ExtractError(
                        f"GET {_safe(url)} failed after {attempts} attempts: {type(exc).__name__}"
                    ) from None
                self.counter.retries += 1
                time.sleep(min(self.retry.backoff_factor * 2**attempt, 30))
                continue
            if RateLimitRetry.quota_exhausted(response) and attempt + 1 < attempts:
                self.counter.retries += 1
                time.sleep(RateLimitRetry().get_retry_after(response) or 60)
                continue
            _check_status(response, url)
            return response
        raise AssertionError("unreachable")

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


def _check_status(response: requests.Response, url: str) -> None:
    if response.status_code < 400:
        return
    try:
        detail = _vendor_message(response.json())
    except ValueError:
        detail = response.text[:200]
    hint = "rate limit exhausted" if RateLimitRetry.quota_exhausted(response) else _HINTS.get(response.status_code)
    suffix = f" ({hint})" if hint else ""
    raise ExtractError(
        f"GET {_safe(url)} answered {response.status_code} {response.reason}: {detail}{suffix}",
        status=response.status_code,
    )


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
