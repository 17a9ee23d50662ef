"""Each switchable fault over real loopback HTTP, plus the admin endpoints and request log."""

import functools
import time

import pytest
import requests

from simulator import SimServer, generate

AUTH = {"Authorization": "Bearer sim-token"}
get = functools.partial(requests.get, timeout=10)
post = functools.partial(requests.post, timeout=10)
delete = functools.partial(requests.delete, timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    out = generate(profile="tiny", seed=3, out_dir=tmp_path_factory.mktemp("faults"))
    with SimServer(out, port=0) as srv:
        yield srv


@pytest.fixture(autouse=True)
def clean(server):
    server.set_faults([])
    server.clear_request_log()


def url(server, path="/repos/acme/checkout-api/pulls"):
    return server.base_url + path


def test_rate_limit_fires_times_then_clears(server):
    server.set_faults([{"kind": "rate_limit", "path_regex": "/pulls", "times": 2, "retry_after": 3}])
    for _ in range(2):
        r = get(url(server), headers=AUTH)
        assert r.status_code == 429
        assert r.headers["Retry-After"] == "3" and r.headers["x-ratelimit-remaining"] == "0"
        assert int(r.headers["x-ratelimit-reset"]) >= time.time()
    assert get(url(server, "/repos/acme/checkout-api"), headers=AUTH).status_code == 200
    assert get(url(server), headers=AUTH).status_code == 200
    statuses = [e["status"] for e in server.request_log()]
    assert statuses == [429, 429, 200, 200]


def test_server_error_default_and_custom_status(server):
    server.set_faults([{"kind": "server_error", "times": 1}, {"kind": "server_error", "status": 503}])
    assert get(url(server), headers=AUTH).status_code == 502
    assert get(url(server), headers=AUTH).status_code == 503
    assert get(url(server), headers=AUTH).status_code == 200


def test_reset_closes_without_response(server):
    server.set_faults([{"kind": "reset", "path_regex": "/pulls"}])
    with pytest.raises(requests.ConnectionError):
        get(url(server), headers=AUTH)
    assert get(url(server), headers=AUTH).status_code == 200


def test_slow_sends_headers_then_body_late(server):
    server.set_faults([{"kind": "slow", "delay": 0.6}])
    started = time.monotonic()
    r = get(url(server), headers=AUTH, stream=True)
    headers_at = time.monotonic() - started
    body = r.json()
    assert r.status_code == 200 and isinstance(body, list)
    assert headers_at < 0.5 <= time.monotonic() - started
    with pytest.raises((requests.ReadTimeout, requests.ConnectionError)):  # timeout while reading the body
        server.set_faults([{"kind": "slow", "delay": 1.0}])
        get(url(server), headers=AUTH, timeout=0.3).json()


def test_truncated_body(server):
    server.set_faults([{"kind": "truncated"}])
    with pytest.raises((requests.exceptions.ChunkedEncodingError, requests.ConnectionError)):
        get(url(server), headers=AUTH)
    assert get(url(server), headers=AUTH).status_code == 200


def test_admin_endpoints(server):
    faults = [{"kind": "server_error", "status": 500, "path_regex": "/releases", "times": 1}]
    r = post(server.base_url + "/_sim/faults", json=faults)
    assert r.status_code == 200
    assert get(url(server, "/repos/acme/checkout-api/releases"), headers=AUTH).status_code == 500
    get(url(server, "/repos/acme/checkout-api/releases"), headers=AUTH, params={"per_page": 5})
    log = get(server.base_url + "/_sim/requests").json()
    assert [(e["path"], e["status"]) for e in log] == [("/repos/acme/checkout-api/releases", 500),
                                                        ("/repos/acme/checkout-api/releases", 200)]  # fmt: skip
    assert log[1]["query"] == {"per_page": "5"} and log[1]["method"] == "GET" and log[1]["at"] > 0
    assert delete(server.base_url + "/_sim/requests").status_code == 200
    assert server.request_log() == []
    bad = post(server.base_url + "/_sim/faults", json=[{"kind": "meteor"}])
    assert bad.status_code == 422


def test_every_response_has_rate_headers_and_keep_alive_survives_bodies(server):
    with requests.Session() as s:
        unauthenticated = s.get(url(server), timeout=10)
        assert unauthenticated.status_code == 401 and "x-ratelimit-remaining" in unauthenticated.headers
        posted = s.post(url(server), json={"title": "x" * 5000}, headers=AUTH, timeout=10)
        assert posted.status_code == 404 and "x-ratelimit-limit" in posted.headers
        assert s.get(url(server), headers=AUTH, timeout=10).status_code == 200
