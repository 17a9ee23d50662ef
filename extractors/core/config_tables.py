"""The config's teams, members, repositories and production environments as raw.config__* tables.

They are a snapshot of the YAML file, replaced whole on every load; the loader creates them empty so
dbt's sources exist before the first load.
"""

from __future__ import annotations

from typing import Any

from extractors.core.config import Config

CONFIG_TABLES = {
    "config__teams": "team_key varchar, team_name varchar",
    "config__team_members": "team_key varchar, person_key varchar, name varchar, email varchar, "
    "github_login varchar, aliases varchar[]",
    "config__team_repositories": "team_key varchar, repository varchar",
    "config__production_environments": "environment varchar",
}


def config_rows(config: Config) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "config__teams": [(t.key, t.name) for t in config.teams],
        "config__team_members": [
            (t.key, m.key, m.name, m.email, m.github, list(m.aliases)) for t in config.teams for m in t.members
        ],
        "config__team_repositories": [(t.key, r) for t in config.teams for r in t.repositories],
        "config__production_environments": [(e,) for e in config.production_environments],
    }


def replace_config_tables(conn: Any, config: Config) -> None:
    conn.execute("begin transaction")
    for name, rows in config_rows(config).items():
        conn.execute(f"delete from raw.{name}")
        if rows:
            conn.executemany(f"insert into raw.{name} values ({', '.join('?' * len(rows[0]))})", rows)
    conn.execute("commit")
