"""The GitHub API over real loopback HTTP: shapes, Link pagination, filters, auth."""

import functools
import sqlite3

import pytest
import requests

from simulator import SimServer, generate

AUTH = {"Authorization": "Bearer sim-token"}
get = functools.partial(requests.get, timeout=10)
post = functools.partial(requests.post, timeout=10)
delete = functools.partial(requests.delete, timeout=10)


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return generate(profile="demo", seed=7, out_dir=tmp_path_factory.mktemp("api"))


@pytest.fixture(scope="module")
def server(out):
    with SimServer(out, port=0, token="sim-token") as srv:
        yield srv


@pytest.fixture(scope="module")
def db(out):
    conn = sqlite3.connect(out / "org.sqlite")
    yield conn
    conn.close()


@pytest.fixture
def http():
    with requests.Session() as s:
        s.headers.update(AUTH)
        yield s


def walk(http, url, params=None):
    """Follow rel="next" until it disappears; return all items and the number of pages."""
    items, pages = [], 0
    while url:
        r = http.get(url, params=params)
        r.raise_for_status()
        body = r.json()
        items += body["workflow_runs"] if isinstance(body, dict) else body
        pages += 1
        url, params = r.links.get("next", {}).get("url"), None
    return items, pages


def test_org_repos_and_repo(server, http):
    repos = http.get(f"{server.base_url}/orgs/acme/repos").json()
    assert len(repos) == 6
    assert {"id", "node_id", "name", "full_name", "owner", "private", "default_branch"} <= set(repos[0])
    repo = http.get(f"{server.base_url}/repos/acme/checkout-api").json()
    assert repo["full_name"] == "acme/checkout-api" and repo["default_branch"] == "main"
    assert repo["owner"]["type"] == "Organization"


def test_link_pagination_walks_every_commit(server, http, db):
    url = f"{server.base_url}/repos/acme/checkout-api/commits"
    first = http.get(url, params={"per_page": 100})
    links = first.links
    assert set(links) == {"next", "last"} and 'rel="next"' in first.headers["Link"]
    items, pages = walk(http, url, {"per_page": 100})
    expected = db.execute("SELECT count(*) FROM commits WHERE repo_id = 100001 AND on_main = 1").fetchone()[0]
    assert len(items) == expected == len({c["sha"] for c in items})
    assert pages == -(-expected // 100)
    assert links["last"]["url"].endswith(f"page={pages}")
    dates = [c["commit"]["committer"]["date"] for c in items]
    assert dates == sorted(dates, reverse=True)
    middle = http.get(url, params={"per_page": 100, "page": 2})
    assert set(middle.links) == {"prev", "next", "last", "first"}


def test_commit_shape(server, http):
    c = http.get(f"{server.base_url}/repos/acme/checkout-api/commits", params={"per_page": 100}).json()
    merge = next(x for x in c if len(x["parents"]) == 2)
    assert merge["commit"]["message"].startswith("Merge pull request #")
    assert merge["committer"]["login"] == "web-flow"
    plain = next(x for x in c if len(x["parents"]) == 1)
    assert plain["author"]["login"] and plain["author"]["type"] == "User"
    assert plain["commit"]["author"]["date"].endswith("Z")
    assert set(plain["commit"]) >= {"author", "committer", "message", "tree", "url", "comment_count", "verification"}


def test_commits_since_until(server, http, db):
    url = f"{server.base_url}/repos/acme/checkout-api/commits"
    items, _ = walk(http, url, {"since": "2026-03-02T00:00:00Z", "until": "2026-03-08T23:59:59Z", "per_page": 50})
    assert items and all("2026-03-02" <= c["commit"]["committer"]["date"][:10] <= "2026-03-08" for c in items)
    expected = db.execute(
        "SELECT count(*) FROM commits WHERE repo_id=100001 AND on_main=1 AND committer_at BETWEEN ? AND ?",
        (1772409600, 1772409600 + 7 * 86400 - 1),
    ).fetchone()[0]
    assert len(items) == expected


def test_pulls_all_states_sorted_by_updated(server, http, db):
    url = f"{server.base_url}/repos/acme/ledger-core/pulls"
    items, _ = walk(http, url, {"state": "all", "sort": "updated", "direction": "desc", "per_page": 100})
    assert len(items) == db.execute("SELECT count(*) FROM pulls WHERE repo_id = 100003").fetchone()[0]
    updated = [p["updated_at"] for p in items]
    assert updated == sorted(updated, reverse=True)
    assert {p["state"] for p in items} == {"open", "closed"}
    merged = next(p for p in items if p["merged_at"])
    assert merged["merge_commit_sha"] and merged["head"]["ref"] and merged["base"]["ref"] == "main"
    for key in ("number", "title", "body", "user", "created_at", "closed_at", "draft", "requested_reviewers",
                "html_url", "head", "base"):  # fmt: skip
        assert key in merged
    opened = http.get(url).json()
    assert all(p["state"] == "open" for p in opened)


def test_reviews_and_pr_commits(server, http, db):
    number, count = db.execute(
        "SELECT number, count(*) FROM reviews WHERE repo_id = 100001 GROUP BY number ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    base = f"{server.base_url}/repos/acme/checkout-api/pulls/{number}"
    reviews = http.get(f"{base}/reviews").json()
    assert len(reviews) == count
    expected_keys = {"id", "node_id", "user", "body", "state", "submitted_at", "commit_id", "pull_request_url"}
    assert expected_keys <= set(reviews[0])
    commits = http.get(f"{base}/commits").json()
    assert {r["commit_id"] for r in reviews} <= {c["sha"] for c in commits}
    pr = http.get(base).json()
    assert pr["commits"] == len(commits) and pr["number"] == number


def test_deployments_environment_filter_and_statuses(server, http, db):
    url = f"{server.base_url}/repos/acme/checkout-api/deployments"
    prod, _ = walk(http, url, {"environment": "production", "per_page": 100})
    assert prod and all(d["environment"] == "production" and d["production_environment"] for d in prod)
    everything, _ = walk(http, url, {"per_page": 100})
    assert {d["environment"] for d in everything} == {"production", "production-eu", "staging"}
    statuses = http.get(prod[0]["statuses_url"]).json()
    assert statuses[0]["state"] in ("success", "failure") and statuses[-1]["state"] == "in_progress"
    assert statuses[0]["deployment_url"] == prod[0]["url"]


def test_a_team_deploying_from_actions_has_deploy_runs_and_no_deployments(server, http, db):
    base = f"{server.base_url}/repos/acme/ledger-core"
    assert walk(http, f"{base}/deployments", {"per_page": 100})[0] == []
    runs, _ = walk(http, f"{base}/actions/runs", {"per_page": 100})
    deploys = {r["path"]: r for r in runs if r["name"].startswith("Deploy")}
    assert set(deploys) == {".github/workflows/deploy.yml", ".github/workflows/deploy-staging.yml"}
    production = [r for r in runs if r["path"] == ".github/workflows/deploy.yml" and r["conclusion"] == "success"]
    shas = {sha for (sha,) in db.execute(
        "SELECT d.sha FROM deployments d JOIN repos r ON r.id = d.repo_id WHERE r.full_name = 'acme/ledger-core' "
        "AND d.environment = 'production'")}  # fmt: skip
    assert production and {r["head_sha"] for r in production} <= shas


def test_workflow_runs_created_filter(server, http):
    url = f"{server.base_url}/repos/acme/checkout-api/actions/runs"
    body = http.get(url, params={"created": "2026-02-02..2026-02-08", "per_page": 100}).json()
    assert body["total_count"] > 0
    runs, _ = walk(http, url, {"created": "2026-02-02..2026-02-08", "per_page": 100})
    assert len(runs) == body["total_count"]
    assert all("2026-02-02" <= r["created_at"][:10] <= "2026-02-08" for r in runs)
    assert {r["name"] for r in runs} == {"CI", "Deploy"}
    later = http.get(url, params={"created": ">=2026-06-01"}).json()
    assert all(r["created_at"] >= "2026-06-01" for r in later["workflow_runs"])


def test_issues_include_pulls_and_since(server, http):
    url = f"{server.base_url}/repos/acme/growth-site/issues"
    items, _ = walk(http, url, {"state": "all", "since": "2026-06-01T00:00:00Z", "sort": "updated",
                                "direction": "asc", "per_page": 100})  # fmt: skip
    assert items and all(i["updated_at"] >= "2026-06-01T00:00:00Z" for i in items)
    assert [i["updated_at"] for i in items] == sorted(i["updated_at"] for i in items)
    assert any("pull_request" in i for i in items) and any("pull_request" not in i for i in items)


def test_releases_and_enterprise_prefix(server, http):
    rel = http.get(f"{server.base_url}/api/v3/repos/acme/checkout-web/releases").json()
    assert rel and rel[0]["tag_name"].startswith("v1.") and rel[0]["url"].startswith(server.base_url + "/api/v3/")


def test_auth_and_not_found(server):
    url = f"{server.base_url}/repos/acme/checkout-api"
    assert get(url).status_code == 401
    bad = get(url, headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401 and bad.json()["message"] == "Bad credentials"
    assert get(url, headers={"Authorization": "token sim-token"}).status_code == 200
    missing = get(f"{server.base_url}/repos/acme/nope", headers=AUTH)
    assert missing.status_code == 404 and missing.json()["message"] == "Not Found"
    assert get(f"{server.base_url}/nothing/here", headers=AUTH).status_code == 404


def test_rate_limit_headers_count_down(server):
    url = f"{server.base_url}/repos/acme/checkout-api"
    first = get(url, headers={"Authorization": "Bearer sim-token"})
    second = get(url, headers={"Authorization": "Bearer sim-token"})
    h1, h2 = first.headers, second.headers
    assert int(h2["x-ratelimit-remaining"]) == int(h1["x-ratelimit-remaining"]) - 1
    assert h1["x-ratelimit-limit"] == "5000" and h1["x-ratelimit-resource"] == "core"
    assert int(h2["x-ratelimit-used"]) == int(h1["x-ratelimit-used"]) + 1 and int(h1["x-ratelimit-reset"]) > 0
    rl = get(f"{server.base_url}/rate_limit", headers=AUTH).json()
    assert rl["resources"]["core"]["limit"] == 5000


def test_same_seed_same_bytes(server, out, tmp_path):
    other = generate(profile="demo", seed=7, out_dir=tmp_path)
    with SimServer(other, port=0) as second:
        for path in ("/repos/acme/checkout-api/pulls?state=all&per_page=100&page=2",
                     "/repos/acme/ledger-core/commits?per_page=100"):  # fmt: skip
            a = get(server.base_url + path, headers=AUTH).text.replace(f"127.0.0.1:{server.port}", "HOST")
            b = get(second.base_url + path, headers=AUTH).text.replace(f"127.0.0.1:{second.port}", "HOST")
            assert a == b
