"""The one retry policy and the session's guards over real loopback HTTP; sleeps recorded, the clock fixed."""

from __future__ import annotations

import socket
import time
from email.utils import formatdate

import pytest

from extractors.core import retry
from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession
from extractors.core.retry import RetryPolicy
from tests.scripted_server import ScriptedServer, sequence

OK = (200, {}, {"ok": True})
NOW = 1_700_000_000.0
TOKEN = "s3cret-token"


@pytest.fixture
def frozen_clock(monkeypatch):
    monkeypatch.setattr(retry, "clock", lambda: NOW)


def test_5xx_backs_off_exponentially_up_to_the_cap_then_names_url_attempts_and_status(sleeps):
    policy = RetryPolicy(max_attempts=5, backoff_base=1, backoff_max=5)
    with ScriptedServer(sequence((502, {}, {"message": "bad gateway"}))) as server:
        session = SourceSession(server.url, TOKEN, retry=policy)
        with pytest.raises(ExtractError, match=r"GET http://.*/x: gave up after 5 attempts .*last: 502 Bad Gateway"):
            session.get_json("/x")
    assert sleeps == [1, 2, 4, 5]
    assert len(server.requests) == 5 and session.counter.requests == 5 and session.counter.retries == 4


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (429, {"Retry-After": "7"}, 7),
        (503, {"Retry-After": formatdate(NOW + 45, usegmt=True)}, 45),
        (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 30)}, 31),
        (429, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) - 5)}, 1),
        (429, {"ratelimit-reset": "12", "ratelimit-remaining": "0"}, 12),
        (429, {}, 1),
        (429, {"Retry-After": "3", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 600)}, 3),
    ],
    ids=[
        "retry-after",
        "retry-after-date",
        "quota-reset",
        "quota-reset-past",
        "pagerduty-reset",
        "429-no-hint",
        "retry-after-wins",
    ],
)
def test_the_wait_follows_the_servers_hint(sleeps, frozen_clock, status, headers, expected):
    with ScriptedServer(sequence((status, headers, {"message": "slow down"}), OK)) as server:
        body, _ = SourceSession(server.url, TOKEN).get_json("/x")
    assert body == {"ok": True}
    assert sleeps == [expected] and len(server.requests) == 2


def test_a_429_without_a_hint_waits_the_backoff_once_it_passes_one_second(sleeps):
    throttled = (429, {}, {"message": "slow down"})
    with ScriptedServer(sequence(throttled, throttled, throttled, OK)) as server:
        SourceSession(server.url, TOKEN).get_json("/x")
    assert sleeps == [1, 1, 2]  # the default backoff 0.5, 1, 2, never under a second


@pytest.mark.parametrize(
    ("headers", "header"),
    [
        ({"Retry-After": "1000000000"}, "Retry-After"),
        ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)}, "x-ratelimit-reset"),
    ],
)
def test_a_wait_longer_than_max_wait_fails_at_once(sleeps, frozen_clock, headers, header):
    throttled = (429, headers, {"message": "come back tomorrow"})
    with ScriptedServer(sequence(throttled)) as server, pytest.raises(ExtractError) as error:
        SourceSession(server.url, TOKEN).get_json("/x")
    wait = 1_000_000_000 if header == "Retry-After" else 3601
    assert str(error.value) == (
        f"GET {server.url}/x: the server asked to wait {wait} s ({header}), more than the 900 s limit; try again later"
    )
    assert error.value.status == 429
    assert sleeps == [] and len(server.requests) == 1


def test_a_dead_host_costs_exactly_max_attempts(sleeps):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed on exit: nothing listens there
    session = SourceSession(f"http://127.0.0.1:{port}", TOKEN)
    with pytest.raises(ExtractError, match=r"gave up after 6 attempts .*last: ConnectionError"):
        session.get("/x")
    assert session.counter.requests == 6 and sleeps == [0.5, 1, 2, 4, 8]


def test_dropped_connections_are_retried_by_the_policy_alone(sleeps):
    with ScriptedServer(sequence((0, {}, None))) as server:
        session = SourceSession(server.url, TOKEN, retry=RetryPolicy(max_attempts=3))
        with pytest.raises(ExtractError, match="gave up after 3 attempts"):
            session.get("/x")
    assert len(server.requests) == 3  # no second retry layer underneath


def test_retries_stop_when_max_elapsed_would_pass(sleeps, monkeypatch):
    monkeypatch.setattr(retry, "clock", lambda: NOW + sum(sleeps))
    policy = RetryPolicy(max_attempts=100, backoff_base=10, backoff_max=10, max_elapsed=35)
    with ScriptedServer(sequence((503, {}, {}))) as server, pytest.raises(ExtractError) as error:
        SourceSession(server.url, TOKEN, retry=policy).get("/x")
    assert str(error.value) == (
        f"GET {server.url}/x: gave up after 4 attempts in 30 s (last: 503 Service Unavailable); "
        "waiting 10 s more would pass the 35 s limit"
    )
    assert sleeps == [10, 10, 10] and len(server.requests) == 4


def test_resets_truncated_bodies_and_timeouts_are_retried(sleeps):
    truncated = (200, {"x-test-content-length": "500"}, b'{"partial": ')
    with ScriptedServer(sequence((0, {}, None), truncated, OK)) as server:
        body, _ = SourceSession(server.url, TOKEN).get_json("/x")
    assert body == {"ok": True} and len(server.requests) == 3

    slow = iter([True])

    def handler(path, query, headers):
        if next(slow, False):
            time.sleep(0.5)
        return OK

    with ScriptedServer(handler) as server:
        body, _ = SourceSession(server.url, TOKEN, timeout=(1.0, 0.1)).get_json("/x")
    assert body == {"ok": True} and len(server.requests) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404])
def test_client_errors_are_not_retried_and_never_show_the_token(sleeps, status):
    echo = {"message": f"Bad credentials: Bearer {TOKEN} ({TOKEN})"}
    with ScriptedServer(sequence((status, {}, echo))) as server, pytest.raises(ExtractError) as error:
        SourceSession(server.url, TOKEN).get_json("/x")
    message = str(error.value)
    assert f"answered {status}" in message and "Bad credentials: *** (***)" in message
    assert TOKEN not in message and error.value.status == status
    assert len(server.requests) == 1 and sleeps == []
    assert server.requests[0][2]["authorization"] == f"Bearer {TOKEN}"


def test_a_url_on_another_origin_is_refused_before_any_request():
    with ScriptedServer(sequence(OK)) as home, ScriptedServer(sequence(OK)) as elsewhere:
        session = SourceSession(home.url, TOKEN)
        with pytest.raises(ExtractError) as error:
            session.get(f"{elsewhere.url}/steal")
    port = home.url.rsplit(":", 1)[1]
    assert str(error.value) == (
        f"refusing to follow a link to another origin: {elsewhere.url}/steal "
        f"(configured base URL origin http://127.0.0.1:{port})"
    )
    assert elsewhere.requests == [] and home.requests == [] and session.counter.requests == 0


def test_a_redirect_to_another_origin_does_not_carry_the_token():
    with ScriptedServer(sequence(OK)) as elsewhere:
        with ScriptedServer(sequence((302, {"Location": f"{elsewhere.url}/moved"}, {}))) as home:
            body, _ = SourceSession(home.url, TOKEN).get_json("/x")
        assert body == {"ok": True}
    assert home.requests[0][2]["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in elsewhere.requests[0][2]


def test_a_raw_key_the_auth_header_was_built_from_is_redacted_too(sleeps):
    from extractors.core.credentials import Credentials
    from extractors.pagerduty.source import make_session

    echo = (401, {}, {"error": {"message": "bad key raw-pd-key", "errors": ["Token token=raw-pd-key"]}})
    with ScriptedServer(sequence(echo)) as server, pytest.raises(ExtractError) as error:
        make_session(server.url, Credentials(token="raw-pd-key")).get_json("/incidents")
    assert "raw-pd-key" not in str(error.value) and "***" in str(error.value)


def test_githubs_secondary_rate_limit_403_with_retry_after_is_waited_out(sleeps):
    secondary = (403, {"Retry-After": "5"}, {"message": "You have exceeded a secondary rate limit"})
    with ScriptedServer(sequence(secondary, OK)) as server:
        body, _ = SourceSession(server.url, "t0ken").get_json("/x")
    assert body == {"ok": True} and sleeps == [5]
