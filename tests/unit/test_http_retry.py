"""Retries and backoff over real loopback HTTP, with urllib3's sleep patched to a recording clock."""

from __future__ import annotations

import time

import pytest

from extractors.core.errors import ExtractError
from extractors.core.http import SourceSession, build_retry
from tests.scripted_server import ScriptedServer, sequence

OK = (200, {}, {"ok": True})


def test_429_waits_retry_after_then_succeeds(sleeps):
    with ScriptedServer(sequence((429, {"Retry-After": "7"}, {"message": "slow down"}), OK)) as server:
        body, _ = SourceSession(server.url, "t0ken").get_json("/x")
    assert body == {"ok": True}
    assert sleeps == [7]
    assert len(server.requests) == 2


def test_5xx_backs_off_exponentially_and_gives_up_with_a_clear_error(sleeps):
    with ScriptedServer(sequence((502, {}, {"message": "bad gateway"}))) as server:
        session = SourceSession(server.url, "t0ken", retry=build_retry(total=3, backoff_factor=1))
        with pytest.raises(ExtractError, match=r"GET .*/x answered 502"):
            session.get_json("/x")
    assert len(server.requests) == 4  # first try + 3 retries
    assert sleeps == [2, 4]  # urllib3 retries the first failure at once, then doubles


def test_exhausted_quota_waits_until_reset(sleeps):
    reset = str(int(time.time()) + 30)
    exhausted = (403, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}, {"message": "rate limit"})
    with ScriptedServer(sequence(exhausted, OK)) as server:
        body, _ = SourceSession(server.url, "t0ken").get_json("/x")
    assert body == {"ok": True}
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 32


def test_connection_reset_and_truncated_body_are_retried(sleeps):
    truncated = (200, {"x-test-content-length": "500"}, b'{"partial": ')
    with ScriptedServer(sequence((0, {}, None), truncated, OK)) as server:
        body, _ = SourceSession(server.url, "t0ken").get_json("/x")
    assert body == {"ok": True}
    assert len(server.requests) == 3


def test_client_errors_are_not_retried_and_never_show_the_token(sleeps):
    with ScriptedServer(sequence((401, {}, {"message": "Bad credentials"}))) as server, pytest.raises(
        ExtractError
    ) as error:
        SourceSession(server.url, "s3cret-token").get_json("/x")
    assert "401" in str(error.value) and "Bad credentials" in str(error.value)
    assert "s3cret-token" not in str(error.value)
    assert len(server.requests) == 1
    assert server.requests[0][2]["authorization"] == "Bearer s3cret-token"
