"""Config validation: a wrong file gets a message naming the key, the value and what was expected."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from extractors.core.config import ConfigError, load_config

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
        ("kind: github", "kind: gitlabx", r"sources\[0\]\.kind: got 'gitlabx', expected one of github, git"),
        ("base_url: ${GH_URL:-https://api.github.com}", "base_url: ftp://x",
         r"sources\[0\]\.base_url: got 'ftp://x', expected an http\(s\) URL"),
        ("token_env: GITHUB_TOKEN", "token: ghp_abc", r"sources\[0\]\.token: tokens must not be written"),
        ("token_env: GITHUB_TOKEN", "nothing: 1", r"sources\[0\]: unknown key 'nothing'"),
        ("{repo: acme/api}", "{repo: acme}", r"sources\[0\]\.scopes\[1\]\.repo: got 'acme', expected owner/name"),
        ("email: ada@acme.test", "email: ada", r"teams\[0\]\.members\[0\]\.email: got 'ada', expected an email"),
        ("start_date: 2026-01-01", "start_date: soon", r"start_date: got 'soon', expected an ISO date"),
        ("name: local_git", "name: github", r"sources\[\]\.name: 'github' appears twice"),
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
    assert {s.kind for s in config.sources} == {"github", "git"}
