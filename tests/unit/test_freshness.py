"""Raw stream freshness (METRICS.md "Data freshness"): the config's thresholds reach `dbt source freshness`,
which judges each stream by when the pipeline last loaded it, per configured source instance."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import duckdb
import pytest

from extractors import pipeline
from extractors.core.config import ConfigError, Freshness, load_config
from extractors.core.loader import ensure_raw_tables
from extractors.core.registry import streams_by_kind
from extractors.dbt_runner import DBT_PROJECT_DIR
from extractors.summary import health_summary

CONFIG = """
warehouse:
  state_dir: data
sources:
  - name: gh
    kind: github
    base_url: http://127.0.0.1:9
    token_env: GITHUB_TOKEN
    scopes: [{repo: acme/api}]
  - name: git_a
    kind: git
    scopes: [{path: /srv/git/a, repository: acme/a}]
  - name: git_b
    kind: git
    scopes: [{path: /srv/git/b, repository: acme/b}]
"""
NOW = dt.datetime.now(dt.UTC)
LOADS = [  # (source instance, stream, hours ago)
    ("gh", "pull_requests", 5),
    ("retired", "pull_requests", 100),  # an instance no longer configured: not counted
    ("gh", "commits", 12),  # same stream name as git's commits: each kind judged by its own instances
    ("gh", "deployments", 45),
    ("gh", "issues", 100),
    ("gh", "issues", 2),  # the latest load counts
    ("git_a", "commits", 1),
    ("git_b", "commits", 45),  # the stalest configured instance decides
]


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "config.yml"
    path.write_text(textwrap.dedent(CONFIG) + textwrap.dedent(extra))
    return path


def warehouse_with_loads(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as conn:
        ensure_raw_tables(conn, streams_by_kind())
        for number, (source, stream, hours) in enumerate(LOADS):
            conn.execute(
                "insert into raw._loaded_files values (?, ?, ?, 'scope', 'run', 0, 0, 0, ?)",
                [f"file{number}", source, stream, NOW - dt.timedelta(hours=hours)],
            )


def test_thresholds_from_the_config_judge_each_stream_by_its_last_load(tmp_path):
    config = load_config(write_config(tmp_path, "freshness: {warn_after_hours: 10, error_after_hours: 40}\n"))
    warehouse_with_loads(config.duckdb_path)

    statuses = {s.stream: s.status for s in pipeline.source_freshness(config)}

    # with the defaults (26 h, 50 h) these would be pass, pass, warn, pass, warn
    assert statuses == {
        "github__pull_requests": "pass",
        "github__commits": "warn",
        "github__deployments": "error",
        "github__issues": "pass",
        "git__commits": "error",
    }  # streams never landed (releases, ...) and kinds without sources (jira, ...) are not checked


def test_the_defaults_are_documented_once_and_the_dbt_fallbacks_equal_them(tmp_path):
    config = load_config(write_config(tmp_path))
    assert pipeline.freshness_vars(config) == {
        "freshness_warn_after_hours": 26,
        "freshness_error_after_hours": 50,
        "raw_source_instances": {"github": ["gh"], "git": ["git_a", "git_b"]},
    }
    defaults = Freshness()
    for path in sorted((DBT_PROJECT_DIR / "models" / "staging").glob("*/_*__sources.yml")):
        text = path.read_text()
        if "schema: raw" not in text or path.parent.name == "config":
            continue
        fallbacks = dict(re.findall(r"var\('freshness_(warn|error)_after_hours', (\d+)\)", text))
        assert fallbacks == {"warn": str(defaults.warn_after_hours), "error": str(defaults.error_after_hours)}, path


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("{warn_after_hours: 48, error_after_hours: 24}", "expected more than warn_after_hours (48)"),
        ("{warn_after_hours: 0}", "freshness.warn_after_hours: got 0, expected an integer between 1 and 8760"),
        ("{warn_hours: 5}", "freshness: unknown key 'warn_hours'"),
    ],
)
def test_bad_thresholds_are_named(tmp_path, section, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_config(write_config(tmp_path, f"freshness: {section}\n"))


def test_the_summary_says_when_each_source_was_last_extracted(tmp_path):
    published = tmp_path / "published.duckdb"
    warehouse_with_loads(published)
    with duckdb.connect(str(published)) as conn:
        conn.execute("create schema data_quality")
        conn.execute("create table data_quality.dq_invalid_values (is_record_excluded boolean)")
    report = health_summary(published, tmp_path / "landing")
    expected = {name: (NOW - dt.timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M UTC") for name, hours in
                {"git_a": 1, "git_b": 45, "gh": 2, "retired": 100}.items()}  # fmt: skip
    line = next(line for line in report.splitlines() if line.startswith("Last extracted"))
    assert line.endswith(", ".join(f"{name} {at}" for name, at in sorted(expected.items())))
