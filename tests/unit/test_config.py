"""Config validation: a wrong file gets a message naming the key, the value and what was expected."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from extractors.core.config import ConfigError, load_config
from extractors.core.config_tables import config_rows

VALID = """
sources:
  - name: github
    kind: github
    base_url: ${GH_URL:-https://api.github.com}
    token_env: GITHUB_TOKEN
    scopes: [{org: acme}, {repo: acme/api}]
    start_date: 2026-01-01
  - name: local_git
    kind: git
    scopes: [{path: /srv/git/api, repository: acme/api, refs: [main]}]
teams:
  - key: payments
    name: Payments
    repositories: [acme/api]
    members:
      - {key: ada, name: Ada, email: ada@acme.test, github: ada, aliases: [ada@users.noreply.github.com]}
deployments:
  production_environments: [production, prod]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(text))
    return path


def test_valid_config_parses_with_env_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("GH_URL", raising=False)
    config = load_config(write(tmp_path, VALID))
    github = config.source("github")
    assert github.base_url == "https://api.github.com"
    assert [s.key for s in github.scopes] == ["acme", "acme/api"]
    assert config.source("local_git").scopes[0].refs == ("main",)
    assert config.teams[0].members[0].aliases == ("ada@users.noreply.github.com",)
    assert config.production_environments == ("production", "prod")
    assert github.start_date.isoformat() == "2026-01-01T00:00:00+00:00"


def test_env_interpolation_uses_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GH_URL", "https://ghe.example.test/api/v3/")
    assert load_config(write(tmp_path, VALID)).source("github").base_url == "https://ghe.example.test/api/v3"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("kind: github", "kind: gitlabx", r"sources\[0\]\.kind: got 'gitlabx', expected one of business, events, git"),
        (
            "base_url: ${GH_URL:-https://api.github.com}",
            "base_url: ftp://x",
            r"sources\[0\]\.base_url: got 'ftp://x', expected an http\(s\) URL",
        ),
        ("token_env: GITHUB_TOKEN", "token: ghp_abc", r"sources\[0\]\.token: tokens must not be written"),
        ("token_env: GITHUB_TOKEN", "nothing: 1", r"sources\[0\]: unknown key 'nothing'"),
        ("{repo: acme/api}", "{repo: acme}", r"sources\[0\]\.scopes\[1\]\.repo: got 'acme', expected owner/name"),
        ("email: ada@acme.test", "email: ada", r"teams\[0\]\.members\[0\]\.email: got 'ada', expected an email"),
        ("start_date: 2026-01-01", "start_date: soon", r"start_date: got 'soon', expected an ISO date"),
        ("name: local_git", "name: github", r"sources\[\]\.name: 'github' appears twice"),
        (
            "start_date: 2026-01-01",
            "streams: [pull_request]",
            r"sources\[0\]\.streams: got 'pull_request', expected one of .* \(did you mean 'pull_requests'\?\)",
        ),
        (
            "start_date: 2026-01-01",
            "streams: [pull_request_reviews]",
            r"sources\[0\]\.streams: 'pull_request_reviews' is read for each of its parent's records: add "
            "'pull_requests'",
        ),
        (
            "start_date: 2026-01-01",
            "streams: [tags]",
            r"sources\[0\]\.streams: 'tags' is read only for repositories with releases: add 'releases' as well",
        ),
        ("start_date: 2026-01-01", "start_date: 2026-02-30", r"sources\[0\]\.start_date: got '2026-02-30'"),
        ("refs: [main]", "refs: []", r"sources\[1\]\.scopes\[0\]\.refs: got list \[\], expected a non-empty list"),
        ("{org: acme}", "{org: acme, repo: acme/x}", r"sources\[0\]\.scopes\[0\]: expected exactly one of org or repo"),
        ("{key: ada,", "{key: 7,", r"teams\[0\]\.members\[0\]\.key: got int 7, expected a non-empty string"),
    ],
)
def test_errors_name_key_value_and_expectation(tmp_path, monkeypatch, old, new, message):
    monkeypatch.delenv("GH_URL", raising=False)
    assert old in VALID
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, VALID.replace(old, new, 1)))


def test_missing_environment_variable_is_named(tmp_path):
    with pytest.raises(ConfigError, match="environment variable NOPE_URL"):
        load_config(write(tmp_path, VALID.replace("${GH_URL:-https://api.github.com}", "${NOPE_URL}")))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "absent.yml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(write(tmp_path, "sources: [unclosed"))


def test_the_committed_example_config_is_valid():
    from tests.conftest import PROJECT_DIR

    config = load_config(PROJECT_DIR / "config" / "example.yml")
    assert {s.kind for s in config.sources} == {"github", "git", "jira", "pagerduty", "business"}
    assert config_rows(config)["config__team_projects"]


ISSUE3 = """
sources:
  - name: jira
    kind: jira
    base_url: https://acme.atlassian.net/
    token_env: JIRA_TOKEN
    user_env: JIRA_USER
    scopes: [{project: CHK}, {project: LED}]
    fields: {story_points: "Story Points"}
    issue_types: {"Customer Request": customer_request, Spike: feature}
  - name: pagerduty
    kind: pagerduty
    base_url: https://api.pagerduty.com
    token_env: PAGERDUTY_TOKEN
    scopes: [{account: acme}]
services:
  - {pagerduty: Checkout API, repository: acme/checkout-api}
metrics:
  incident_attribution_window_hours: 48
  dora_band_year: 2023
  production_bug_labels: [prod]
teams:
  - key: checkout
    projects: [CHK]
    members:
      - {key: ada, email: ada@acme.test, aliases: [5b10a2844c20165700ede21g], from: 2026-01-01, until: 2026-06-01}
  - key: ledger
    projects: [LED]
    members:
      - {key: ada, email: Ada@acme.test, from: 2026-06-01}
      - {key: bob, email: bob@acme.test}
"""


def test_jira_pagerduty_services_metrics_projects_and_membership_dates(tmp_path):
    import datetime as dt

    config = load_config(write(tmp_path, ISSUE3))
    jira, pagerduty = config.source("jira"), config.source("pagerduty")
    assert jira.base_url == "https://acme.atlassian.net" and jira.user_env == "JIRA_USER"
    assert [s.key for s in jira.scopes] == ["CHK", "LED"] and [s.key for s in pagerduty.scopes] == ["acme"]
    assert jira.fields == {"story_points": "Story Points"}
    assert config.metrics == {
        "incident_attribution_window_hours": 48,
        "dora_band_year": 2023,
        "production_bug_labels": ["prod"],
    }
    assert config.teams[0].ai_adoption_date is None
    assert config_rows(config)["config__teams"] == [("checkout", "checkout", None), ("ledger", "ledger", None)]
    assert [(m.pagerduty, m.repository) for m in config.services] == [("Checkout API", "acme/checkout-api")]
    ada = config.teams[0].members[0]
    assert (ada.valid_from, ada.valid_to) == (dt.date(2026, 1, 1), dt.date(2026, 6, 1))
    rows = config_rows(config)
    assert rows["config__team_projects"] == [("checkout", "CHK"), ("ledger", "LED")]
    assert rows["config__service_repositories"] == [("Checkout API", "acme/checkout-api", None)]
    assert (
        "checkout",
        "ada",
        "ada",
        "ada@acme.test",
        None,
        ["5b10a2844c20165700ede21g"],
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 1),
    ) in rows["config__team_members"]
    types = {(s, t): c for s, t, c in rows["config__work_item_types"]}
    assert types[("jira", "customer request")] == "customer_request" and types[("jira", "spike")] == "feature"
    assert types[("jira", "story")] == "feature" and types[("jira", "sub-task")] == "chore"
    assert all(t == t.lower() for _, t in types)
    assert sorted(rows["config__jira_fields"]) == [
        ("jira", "sprint", "Sprint"),
        ("jira", "story_points", "Story Points"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{project: LED}", "{project: led-x}", r"sources\[0\]\.scopes\[1\]\.project: got 'led-x', expected a Jira"),
        ("{project: LED}", "{org: acme}", r"sources\[0\]\.scopes\[1\]: unknown key 'org', expected one of project"),
        ("{project: LED}", "{project: CHK}", r"sources\[0\]\.scopes: 'CHK' appears twice"),
        ("Spike: feature", "Spike: spike", r"sources\[0\]\.issue_types\.Spike: got 'spike', expected 'feature', 'bug'"),
        ('{story_points: "Story Points"}', "{points: x}", r"sources\[0\]\.fields: unknown key 'points'"),
        ("[{account: acme}]", "[{account: acme}, {account: beta}]", r"sources\[1\]\.scopes: got 2 scopes"),
        ("[{account: acme}]", "[{project: X}]", r"sources\[1\]\.scopes\[0\]: unknown key 'project'"),
        (
            "incident_attribution_window_hours: 48",
            "incident_attribution_window_hours: 0",
            r"metrics\.incident_attribution_window_hours: got 0, expected an integer between 1 and 720",
        ),
        ("dora_band_year: 2023", "dora_band_year: 2025", r"metrics\.dora_band_year: got 2025, expected 2023 or 2024"),
        (
            "production_bug_labels: [prod]",
            "production_bug_labels: prod",
            r"metrics\.production_bug_labels: got str 'prod', expected a non-empty list",
        ),
        ("dora_band_year: 2023", "dora_year: 2023", r"metrics: unknown key 'dora_year'"),
        (
            "dora_band_year: 2023",
            "ai_adoption_pr_share: 0",
            r"metrics\.ai_adoption_pr_share: got 0, expected a number above 0 and at most 1",
        ),
        (
            "dora_band_year: 2023",
            "divergence_activity_threshold: lots",
            r"metrics\.divergence_activity_threshold: got 'lots', expected a number above 0 and at most 10",
        ),
        (
            "dora_band_year: 2023",
            "ai_impact_bootstrap_replicates: 10",
            r"metrics\.ai_impact_bootstrap_replicates: got 10, expected an integer between 100 and 100000",
        ),
        (
            "dora_band_year: 2023",
            "ai_adoption_seat_share: true",
            r"metrics\.ai_adoption_seat_share: got True, expected a number above 0 and at most 1",
        ),
        (
            "  - key: ledger\n",
            "  - key: ledger\n    ai_adoption_date: 2026-02-30\n",
            r"teams\[1\]\.ai_adoption_date: got",
        ),
        ("repository: acme/checkout-api}", "repository: checkout}", r"services\[0\]\.repository: got 'checkout'"),
        ("projects: [CHK]", "projects: [C-1]", r"teams\[0\]\.projects\[0\]: got 'C-1', expected a Jira project key"),
        (
            "until: 2026-06-01}",
            "until: 2025-06-01}",
            r"teams\[0\]\.members\[0\]\.until: got 2025-06-01, expected a date after from \(2026-01-01\)",
        ),
        ("from: 2026-01-01,", "from: someday,", r"teams\[0\]\.members\[0\]\.from: got 'someday', expected a date"),
        (
            "from: 2026-06-01}",
            "from: 2026-05-01}",
            r"teams\[1\]\.members\[0\]: member 'ada' from 2026-05-01 until open end overlaps teams\[0\]\.members\[0\]",
        ),
        (
            "Ada@acme.test",
            "ada@other.test",
            r"teams\[1\]\.members\[0\]\.email: got 'ada@other.test' for member 'ada', expected 'ada@acme.test'",
        ),
        ("{key: bob, email: bob@acme.test}", "{key: ada, email: ada@acme.test}", r"member 'ada' from the start"),
    ],
)
def test_issue3_errors_name_key_value_and_expectation(tmp_path, old, new, message):
    assert old in ISSUE3
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, ISSUE3.replace(old, new, 1)))


def test_jira_only_keys_are_refused_on_other_kinds(tmp_path):
    text = VALID.replace("token_env: GITHUB_TOKEN", "token_env: GITHUB_TOKEN\n    user_env: GH_USER", 1)
    with pytest.raises(ConfigError, match=r"sources\[0\]: unknown key 'user_env'"):
        load_config(write(tmp_path, text))


def test_metrics_reach_dbt_as_vars_only_when_set(tmp_path):
    import json

    from extractors.pipeline import dbt_build_command

    command = dbt_build_command(load_config(write(tmp_path, ISSUE3)), "--select", "x")
    assert command[1:3] == ["build", "--vars"] and command[4:6] == ["--select", "x"]
    assert json.loads(command[3]) == {
        "dora_band_year": 2023,
        "incident_attribution_window_hours": 48,
        "production_bug_labels": ["prod"],
    }
    assert "--vars" not in dbt_build_command(load_config(write(tmp_path, VALID.replace("${GH_URL:-", "${GH_URLX:-"))))
    allowed = ISSUE3.replace("  dora_band_year: 2023\n", "  dora_band_year: 2023\n  expose_person_emails: true\n", 1)
    assert json.loads(dbt_build_command(load_config(write(tmp_path, allowed)))[3])["expose_person_emails"] is True


def test_every_problem_of_a_source_is_reported_at_once(tmp_path, monkeypatch):
    monkeypatch.delenv("GH_URL", raising=False)
    text = VALID.replace("base_url: ${GH_URL:-https://api.github.com}", "base_url: ftp://x", 1)
    text = text.replace("{repo: acme/api}", "{repo: acme}", 1)
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert str(error.value).splitlines() == [
        "sources[0].scopes[1].repo: got 'acme', expected owner/name",
        "sources[0].base_url: got 'ftp://x', expected an http(s) URL",
    ]


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "config.yml"
    path.write_bytes(VALID.encode() + b"# caf\xe9\n")
    with pytest.raises(ConfigError, match=r"not UTF-8 text \(byte 0xe9 at offset \d+\)"):
        load_config(path)


def test_a_source_without_http_has_no_credentials_and_asks_no_lookup(tmp_path):
    from extractors.pipeline import credentials

    def lookup(source):
        raise AssertionError("a git source has no token to look up")

    creds = credentials(load_config(write(tmp_path, VALID)).source("local_git"), lookup)
    assert (creds.token, creds.user) == (None, None)


@pytest.mark.parametrize(
    ("extra_team", "message"),
    [
        (
            "{key: other, repositories: [acme/api]}",
            r"teams\[1\]\.repositories\[0\]: repository 'acme/api' is claimed by 'other' and by 'payments' at "
            r"teams\[0\]\.repositories\[0\]",
        ),
        (
            "{key: other, members: [{key: ada2, email: ADA@acme.test}]}",
            r"teams\[1\]\.members\[0\]\.email: email 'ADA@acme.test' is claimed by 'ada2' and by 'ada'",
        ),
        (
            "{key: other, members: [{key: bob, email: bob@acme.test, github: ada}]}",
            r"teams\[1\]\.members\[0\]\.github: github login 'ada' is claimed by 'bob' and by 'ada'",
        ),
    ],
)
def test_data_claimed_twice_is_an_error_naming_both_places(tmp_path, monkeypatch, extra_team, message):
    monkeypatch.delenv("GH_URL", raising=False)
    text = VALID.replace("deployments:", f"  - {extra_team}\ndeployments:")
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_a_project_claimed_twice_and_no_production_environment_are_errors(tmp_path):
    with pytest.raises(ConfigError, match=r"teams\[1\]\.projects\[0\]: project 'CHK' is claimed by 'ledger'"):
        load_config(write(tmp_path, ISSUE3.replace("projects: [LED]", "projects: [CHK]")))
    with pytest.raises(ConfigError, match=r"deployments\.production_environments: got list \[\], expected a non-empty"):
        load_config(write(tmp_path, VALID.replace("[production, prod]", "[]")))
