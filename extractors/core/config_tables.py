"""The config's teams, members, projects, services, AI tools and metric rules as raw.config__* tables.

They are a snapshot of the YAML file, replaced whole on every load; the loader creates them empty so
dbt's sources exist before the first load. A source kind may declare tables of its own (SourceKind
config_tables/config_rows); they are created and filled the same way, whether or not it is configured.
"""

from __future__ import annotations

from typing import Any

from extractors.core.config import Config
from extractors.core.deployment_rules import rule_rows
from extractors.core.registry import source_kinds

CORE_TABLES = {
    "config__teams": "team_key varchar, team_name varchar, ai_adoption_date date",
    "config__team_members": "team_key varchar, person_key varchar, name varchar, email varchar, "
    "github_login varchar, aliases varchar[], valid_from date, valid_to date",
    "config__team_repositories": "team_key varchar, repository varchar",
    "config__production_environments": "environment varchar",
    "config__deployment_rules": "rule_index integer, repository_pattern varchar, via varchar, "
    "workflow_pattern varchar, branch varchar, events varchar[], environment varchar, tag_pattern varchar, "
    "include_prereleases boolean, service varchar, job_pattern varchar",
    "config__team_projects": "team_key varchar, project_key varchar",
    "config__service_repositories": "service varchar, repository varchar, service_key varchar",
    "config__services": "service_key varchar, repository varchar, path_globs varchar[]",
    "config__ai_tools": "entry_index integer, person_key varchar, team_key varchar, tool varchar, "
    "valid_from date, valid_to date",
}


def config_tables() -> dict[str, str]:
    """Every config table and its columns: the core's and each registered kind's."""
    tables = dict(CORE_TABLES)
    for kind in source_kinds().values():
        tables.update(kind.config_tables)
    return tables


def config_rows(config: Config) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {
        "config__teams": [(t.key, t.name, t.ai_adoption_date) for t in config.teams],
        "config__team_members": [
            (t.key, m.key, m.name, m.email, m.github, list(m.aliases), m.valid_from, m.valid_to)
            for t in config.teams
            for m in t.members
        ],
        "config__team_repositories": [(t.key, r) for t in config.teams for r in t.repositories],
        "config__production_environments": [(e,) for e in config.production_environments],
        "config__deployment_rules": rule_rows(config.deployment_rules),
        "config__team_projects": [(t.key, p) for t in config.teams for p in t.projects],
        "config__service_repositories": [(s.pagerduty, s.repository, s.name) for s in config.services if s.pagerduty],
        "config__services": [(s.name, s.repository, list(s.paths)) for s in config.services if s.name],
        "config__ai_tools": [
            (i, a.member, a.team, a.tool, a.valid_from, a.valid_to) for i, a in enumerate(config.ai_tools)
        ],
    }
    for name, kind in source_kinds().items():
        if kind.config_rows is not None:
            rows.update(kind.config_rows(config.sources_of_kind(name)))
    return rows


def replace_config_tables(conn: Any, config: Config) -> None:
    tables = config_tables()
    conn.execute("begin transaction")
    for name, rows in config_rows(config).items():
        # Recreated, not emptied: a warehouse from an older version gets the current columns.
        conn.execute(f"create or replace table raw.{name} ({tables[name]})")
        if rows:
            conn.executemany(f"insert into raw.{name} values ({', '.join('?' * len(rows[0]))})", rows)
    conn.execute("commit")
