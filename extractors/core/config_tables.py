"""The config's teams, members, projects, services and metric rules as raw.config__* tables.

They are a snapshot of the YAML file, replaced whole on every load; the loader creates them empty so
dbt's sources exist before the first load.
"""

from __future__ import annotations

from typing import Any

from extractors.core.config import Config
from extractors.jira.fields import DEFAULT_FIELD_NAMES
from extractors.jira.issue_types import issue_type_map

CONFIG_TABLES = {
    "config__teams": "team_key varchar, team_name varchar",
    "config__team_members": "team_key varchar, person_key varchar, name varchar, email varchar, "
    "github_login varchar, aliases varchar[], valid_from date, valid_to date",
    "config__team_repositories": "team_key varchar, repository varchar",
    "config__production_environments": "environment varchar",
    "config__team_projects": "team_key varchar, project_key varchar",
    "config__service_repositories": "service varchar, repository varchar",
    "config__work_item_types": "source_instance varchar, issue_type varchar, canonical_type varchar",
    "config__jira_fields": "source_instance varchar, role varchar, field varchar",
}


def config_rows(config: Config) -> dict[str, list[tuple[Any, ...]]]:
    jira = [s for s in config.sources if s.kind == "jira"]
    return {
        "config__teams": [(t.key, t.name) for t in config.teams],
        "config__team_members": [
            (t.key, m.key, m.name, m.email, m.github, list(m.aliases), m.valid_from, m.valid_to)
            for t in config.teams
            for m in t.members
        ],
        "config__team_repositories": [(t.key, r) for t in config.teams for r in t.repositories],
        "config__production_environments": [(e,) for e in config.production_environments],
        "config__team_projects": [(t.key, p) for t in config.teams for p in t.projects],
        "config__service_repositories": [(m.pagerduty, m.repository) for m in config.services],
        "config__work_item_types": [
            (s.name, name, canonical) for s in jira for name, canonical in sorted(issue_type_map(s.issue_types).items())
        ],
        "config__jira_fields": [
            (s.name, role, name)
            for s in jira
            for role, defaults in DEFAULT_FIELD_NAMES.items()
            for name in ((s.fields[role],) if role in s.fields else defaults)
        ],
    }


def replace_config_tables(conn: Any, config: Config) -> None:
    conn.execute("begin transaction")
    for name, rows in config_rows(config).items():
        # Recreated, not emptied: a warehouse from an older version gets the current columns.
        conn.execute(f"create or replace table raw.{name} ({CONFIG_TABLES[name]})")
        if rows:
            conn.executemany(f"insert into raw.{name} values ({', '.join('?' * len(rows[0]))})", rows)
    conn.execute("commit")
