"""The config's `services`: monorepo services by path globs, the rules that deploy them, the PagerDuty map."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from extractors.core.config import ConfigError, load_config
from extractors.core.config_tables import CORE_TABLES, config_rows

GIT = "  - {name: local_git, kind: git, scopes: [{path: /srv/git/mono, repository: acme/mono}]}\n"
GITHUB = "  - {name: gh, kind: github, base_url: 'http://127.0.0.1:9/', token_env: GH, scopes: [{repo: acme/site}]}\n"


def config_with(tmp_path: Path, body: str, sources: str = GIT):
    path = tmp_path / "config.yml"
    path.write_text("sources:\n" + sources + textwrap.dedent(body))
    return load_config(path)


MONOREPO = """
services:
  - {name: web, repository: acme/mono, paths: [web/*, shared/ui/*]}
  - {name: api, repository: acme/mono, paths: [api/*], pagerduty: Mono API}
  - {pagerduty: Site, repository: acme/site}
deployments:
  rules:
    - {repositories: [acme/mono], via: github_actions, workflow: deploy-web.yml, environment: production, service: web}
    - {repositories: [acme/*], via: pushed_events, service: API}
"""


def test_services_and_their_rules_reach_the_config_tables(tmp_path):
    rows = config_rows(config_with(tmp_path, MONOREPO))
    assert rows["config__services"] == [("web", "acme/mono", ["web/*", "shared/ui/*"]), ("api", "acme/mono", ["api/*"])]
    assert rows["config__service_repositories"] == [("Mono API", "acme/mono", "api"), ("Site", "acme/site", None)]
    columns = CORE_TABLES["config__deployment_rules"].split(", ")
    service = columns.index("service varchar")
    assert [row[service] for row in rows["config__deployment_rules"]] == ["web", "API"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("services: [{repository: acme/mono, paths: [web/*]}]",
         "services[0]: a service with paths needs a name"),
        ("services: [{repository: acme/mono}]",
         "services[0]: a service needs a name, a pagerduty service, or both"),
        ("services: [{name: web, repository: acme/mono}, {name: WEB, repository: acme/mono, paths: [w/*]}]",
         "services[1].name: 'WEB' is already services[0]'s"),
        ("deployments: {rules: [{repositories: [acme/mono], via: pushed_events, service: web}]}",
         "deployments.rules[0].service: no service named 'web' (configured: none)"),
        ("services: [{name: web, repository: acme/mono}]\n"
         "deployments: {rules: [{repositories: [acme/other], via: pushed_events, service: web}]}",
         "deployments.rules[0].service: 'web' is in acme/mono, which the rule's repositories miss"),
    ],
)  # fmt: skip
def test_a_bad_service_is_an_error_naming_it(tmp_path, body, message):
    with pytest.raises(ConfigError) as error:
        config_with(tmp_path, body + "\n")
    assert message in str(error.value)


def test_paths_need_a_source_that_gives_the_repositorys_changed_files(tmp_path):
    body = "services: [{name: web, repository: acme/site, paths: [web/*]}]\n"
    with pytest.raises(ConfigError, match=r"services\[0\]\.paths: .*kinds: git.*none holds acme/site"):
        config_with(tmp_path, body, sources=GIT + GITHUB)
    body = "services: [{name: web, repository: acme/mono, paths: [web/*]}]\n"
    assert config_with(tmp_path, body, sources=GIT + GITHUB).services[0].paths == ("web/*",)
