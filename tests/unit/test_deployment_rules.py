"""The config's `deployments.rules`: which source each repository's deployments come from."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from extractors.core.config import ConfigError, load_config
from extractors.core.config_tables import config_rows

BASE = """
sources:
  - {name: local_git, kind: git, scopes: [{path: /srv/git/api, repository: acme/api}]}
deployments:
  production_environments: [production]
"""


def config_with(tmp_path: Path, rules: str):
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(BASE) + textwrap.indent(textwrap.dedent(rules), "  "))
    return load_config(path)


def test_rules_reach_the_config_table_one_row_per_repository_glob(tmp_path):
    config = config_with(tmp_path, """
        rules:
          - {repositories: [acme/ledger-*, acme/billing], via: github_actions, workflow: deploy.yml, branch: main,
             events: [push, workflow_dispatch], environment: production}
          - {repositories: [acme/mobile], via: github_releases, tag: "v*", environment: app_store}
          - {repositories: [acme/sdk], via: github_releases, tag: "sdk-*", environment: production, prereleases: true}
          - {repositories: ["*"], via: github_deployments}
          - {repositories: [acme/shop], via: github_actions, workflow: ci.yml, job: "Deploy*", environment: production}
    """)
    assert config_rows(config)["config__deployment_rules"] == [
        (0, "acme/ledger-*", "github_actions", "deploy.yml", "main", ["push", "workflow_dispatch"], "production",
         None, False, None, None),
        (0, "acme/billing", "github_actions", "deploy.yml", "main", ["push", "workflow_dispatch"], "production",
         None, False, None, None),
        (1, "acme/mobile", "github_releases", None, None, None, "app_store", "v*", False, None, None),
        (2, "acme/sdk", "github_releases", None, None, None, "production", "sdk-*", True, None, None),
        (3, "*", "github_deployments", None, None, None, None, None, False, None, None),
        (4, "acme/shop", "github_actions", "ci.yml", None, None, "production", None, False, None, "Deploy*"),
    ]  # fmt: skip


def test_without_rules_every_repository_uses_the_deployments_api(tmp_path):
    assert config_rows(config_with(tmp_path, ""))["config__deployment_rules"] == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{repositories: [acme/a], via: github_actions, environment: production}",
         "deployments.rules[0]: via github_actions needs workflow (which runs deploy, and where)"),
        ("{repositories: [acme/a], via: github_actions, workflow: deploy.yml}",
         "deployments.rules[0]: via github_actions needs environment (which runs deploy, and where)"),
        ("{repositories: [acme/a], via: github_deployments, workflow: deploy.yml}",
         "deployments.rules[0]: via github_deployments takes no workflow: each deployment names its environment "
         "and sha itself"),
        ("{repositories: [acme/a], via: pushed_events, environment: production}",
         "deployments.rules[0]: via pushed_events takes no environment: each deployment names its environment "
         "and sha itself"),
        ("{repositories: [acme/a], via: jenkins}",
         "deployments.rules[0].via: got 'jenkins', expected 'github_deployments', 'github_actions', 'pushed_events' "
         "or 'github_releases'"),
        ("{repositories: [acme/a], via: github_releases, environment: production}",
         "deployments.rules[0]: via github_releases needs tag (which releases deploy, and where)"),
        ("{repositories: [acme/a], via: github_releases}",
         "deployments.rules[0]: via github_releases needs tag and environment (which releases deploy, and where)"),
        ("{repositories: [acme/a], via: github_releases, tag: 'v*', environment: production, branch: main}",
         "deployments.rules[0]: via github_releases takes no branch: it reads tag, prereleases, environment"),
        ("{repositories: [acme/a], via: github_actions, workflow: d.yml, environment: production, tag: 'v*'}",
         "deployments.rules[0]: via github_actions takes no tag: it reads workflow, branch, events, environment, job"),
        ("{repositories: [acme/a], via: pushed_events, prereleases: true}",
         "deployments.rules[0]: via pushed_events takes no prereleases: each deployment names its environment "
         "and sha itself"),
        ("{repositories: [acme/a], via: github_releases, tag: 'v*', environment: production, prereleases: maybe}",
         "deployments.rules[0].prereleases"),
        ("{repositories: [], via: github_deployments}",
         "deployments.rules[0].repositories: got list [], expected a non-empty list"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_an_error_naming_it(tmp_path, rule, message):
    with pytest.raises(ConfigError) as error:
        config_with(tmp_path, f"rules:\n  - {rule}\n")
    assert message in str(error.value)


GITHUB_SOURCES = """
sources:
  - name: gh
    kind: github
    base_url: https://api.github.com
    token_env: GITHUB_TOKEN
    scopes: [{repo: acme/mobile}, {org: tools}]
    streams: [pull_requests, releases]
  - {name: gh_all, kind: github, base_url: https://api.github.com, token_env: GITHUB_TOKEN, scopes: [{org: web}]}
deployments:
  rules:
"""


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{repositories: [acme/mobile], via: github_releases, tag: 'v*', environment: app_store}",
         "deployments.rules[0]: via github_releases reads the releases and tags streams, but source 'gh' leaves out "
         "tags: add them to its streams"),
        ("{repositories: [Tools/*], via: github_actions, workflow: deploy.yml, environment: production}",
         "deployments.rules[0]: via github_actions reads the workflow_runs streams, but source 'gh' leaves out "
         "workflow_runs: add them to its streams"),
        ("{repositories: [Tools/*], via: github_actions, workflow: ci.yml, job: deploy, environment: production}",
         "deployments.rules[0]: via github_actions reads the workflow_runs and workflow_jobs streams, but source 'gh' "
         "leaves out workflow_runs, workflow_jobs: add them to its streams"),
        ("{repositories: ['acme/mob*'], via: github_deployments}",
         "via github_deployments reads the deployments and deployment_statuses streams, but source 'gh' leaves out "
         "deployments, deployment_statuses"),
    ],
)
def test_a_rule_whose_streams_a_source_leaves_out_is_an_error(tmp_path, rule, message):
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(GITHUB_SOURCES) + f"    - {rule}\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert message in str(error.value)


@pytest.mark.parametrize(
    "rule",
    [
        # the source with a stream list holds no repository the rule names; the one that does reads every stream
        "{repositories: [web/site], via: github_releases, tag: 'v*', environment: production}",
        "{repositories: [acme/api], via: github_actions, workflow: deploy.yml, environment: production}",
        # pushed events are read by no GitHub stream
        "{repositories: [acme/mobile], via: pushed_events}",
    ],
)
def test_a_rule_no_source_lacks_streams_for_is_accepted(tmp_path, rule):
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(GITHUB_SOURCES) + f"    - {rule}\n")
    assert load_config(path).deployment_rules[0].repositories


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{repositories: [acme/a], via: github_deployments, job: deploy}",
         "deployments.rules[0]: via github_deployments takes no job: each deployment names its environment and sha "
         "itself"),
        ("{repositories: [acme/a], via: pushed_events, job: deploy}",
         "deployments.rules[0]: via pushed_events takes no job: each deployment names its environment and sha itself"),
        ("{repositories: [acme/a], via: github_releases, tag: 'v*', environment: production, job: deploy}",
         "deployments.rules[0]: via github_releases takes no job: it reads tag, prereleases, environment"),
    ],
)  # fmt: skip
def test_a_job_glob_is_only_for_github_actions(tmp_path, rule, message):
    # a job is a GitHub Actions job: no other source has one to pick, so the glob would be silently ignored
    with pytest.raises(ConfigError) as error:
        config_with(tmp_path, f"rules:\n  - {rule}\n")
    assert message in str(error.value)
