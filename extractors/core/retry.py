"""The one retry policy every source's HTTP requests run under.

The rules, for one request:
- It is tried at most `max_attempts` times (the first try and the retries), and spends at most
  `max_elapsed` seconds doing so, waits included. When either runs out it fails with an ExtractError that
  names the URL, the attempts made and the last status or error.
- Retried: a connection that fails, times out or is reset, a body cut off mid-read (shorter than its
  Content-Length), the statuses 429, 500, 502, 503 and 504, a 403 or 429 with
  `x-ratelimit-remaining: 0` (GitHub's and GitLab's exhausted quota), and a 403 with `Retry-After`
  (GitHub's secondary rate limit). Any other 4xx fails at once:
  asking again cannot fix a bad token, a missing permission or a bad request.
- The wait before a retry, first rule that applies:
  1. `Retry-After`, in seconds or as an HTTP date;
  2. with `x-ratelimit-remaining: 0`, until `x-ratelimit-reset` (epoch seconds) and one second more;
  3. on a 429, PagerDuty's `ratelimit-reset` (seconds to wait), at least one second;
  4. on a 429 without a hint, the backoff but at least one second (retrying a throttle at once earns
     another);
  5. else exponential backoff: `backoff_base * 2**(n-1)` before retry n, at most `backoff_max`.
- A wait the server asks for (rules 1-3) that is longer than `max_wait` is not slept: the request fails at
  once saying so, so a scheduled task gives its slot back instead of hanging until a quota resets.
Failure messages carry no response text, so nothing a server echoes (a token) reaches them from here.
Every wait goes through `sleep` and every elapsed time through `clock`, both in this module, so tests can
replace them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import requests

from extractors.core.errors import ExtractError

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# Timeout covers connect and read timeouts; ConnectionError covers refused and reset connections;
# ChunkedEncodingError is urllib3's IncompleteRead, a body shorter than its Content-Length.
TRANSIENT_ERRORS = (
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    requests.exceptions.ChunkedEncodingError,
)
MIN_429_WAIT = 1.0

sleep = time.sleep
clock = time.time  # wall-clock seconds: elapsed time, and the reference for reset times and HTTP dates


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 6  # the first try and 5 retries, for one request
    backoff_base: float = 0.5  # the wait before retry n (n = 1, 2, ...) is backoff_base * 2**(n-1) ...
    backoff_max: float = 60.0  # ... at most this
    max_wait: float = 900.0  # the longest wait a server may ask for (Retry-After, a rate-limit reset)
    max_elapsed: float = 1800.0  # the total seconds one request may spend, waits included

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, got {self.max_attempts}")

    def run(self, label: str, attempt: Callable[[int], requests.Response]) -> requests.Response:
        """Call `attempt(n)` (n = 1, 2, ...) until its answer needs no retry, and return that answer.

        `label` ("GET <url>") names the request in messages; `attempt` may raise TRANSIENT_ERRORS.
        """
        started = clock()
        for number in range(1, self.max_attempts + 1):
            try:
                response: requests.Response | None = attempt(number)
            except TRANSIENT_ERRORS as exc:
                response, last = None, type(exc).__name__
            else:
                if not retryable(response):
                    return response
                last = _status_text(response.status_code)
            status = response.status_code if response is not None else None
            if number == self.max_attempts:
                break
            wait = self._wait(label, number, response)
            elapsed = clock() - started
            if elapsed + wait > self.max_elapsed:
                raise ExtractError(
                    f"{label}: gave up after {number} attempts in {elapsed:.0f} s (last: {last}); waiting "
                    f"{wait:.0f} s more would pass the {self.max_elapsed:.0f} s limit",
                    status=status,
                )
            log.warning("%s: %s; retry %d of %d in %.1f s", label, last, number, self.max_attempts - 1, wait)
            sleep(wait)
        raise ExtractError(
            f"{label}: gave up after {self.max_attempts} attempts in {clock() - started:.0f} s (last: {last})",
            status=status,
        )

    def backoff(self, retry: int) -> float:
        """Our own wait before retry `retry` (1, 2, ...) when the server gives no hint."""
        return min(self.backoff_base * 2 ** (retry - 1), self.backoff_max)

    def _wait(self, label: str, retry: int, response: requests.Response | None) -> float:
        requested = requested_wait(response) if response is not None else None
        if requested is None:
            throttled = response is not None and response.status_code == 429
            return max(self.backoff(retry), MIN_429_WAIT) if throttled else self.backoff(retry)
        wait, header = requested
        if wait > self.max_wait:
            raise ExtractError(
                f"{label}: the server asked to wait {wait:.0f} s ({header}), more than the {self.max_wait:.0f} s "
                "limit; try again later",
                status=response.status_code,
            )
        return wait


def retryable(response: requests.Response) -> bool:
    return response.status_code in RETRY_STATUSES or quota_exhausted(response)


def quota_exhausted(response: requests.Response) -> bool:
    """GitHub answers an exhausted quota with 403 (otherwise a permission error): the primary one with
    remaining 0, a secondary (abuse) limit with Retry-After."""
    if response.status_code not in (403, 429):
        return False
    return response.headers.get("x-ratelimit-remaining") == "0" or "Retry-After" in response.headers


def requested_wait(response: requests.Response) -> tuple[float, str] | None:
    """The seconds the server asked us to wait and the header that asked, or None when it gave no hint."""
    headers = response.headers
    retry_after = _retry_after(headers.get("Retry-After", "").strip())
    if retry_after is not None:
        return retry_after, "Retry-After"
    reset = headers.get("x-ratelimit-reset", "").strip()
    if headers.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(int(reset) - clock(), 0.0) + 1.0, "x-ratelimit-reset"
    reset = headers.get("ratelimit-reset", "").strip()
    if response.status_code == 429 and reset.isdigit():
        return max(float(reset), MIN_429_WAIT), "ratelimit-reset"
    return None


def _retry_after(value: str) -> float | None:
    """RFC 9110: delta seconds or an HTTP date; None when absent or unreadable."""
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(moment.timestamp() - clock(), 0.0)


def _status_text(status: int) -> str:
    """The standard reason phrase, not the server's: a server may echo anything into its own."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
