"""Load and validate the pipeline's YAML configuration.

Every error names the key path, the value found and what was expected, so a wrong file is fixed in one go.
Tokens never live in the file: a source names the environment variable or Airflow Connection holding it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from extractors.core.errors import ConfigError

SOURCE_KINDS = ("github", "git")
_ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Scope:
    """One unit of extraction: a GitHub org or repo, or a local git repository path."""

    org: str | None = None
    repo: str | None = None
    path: str | None = None
    repository: str | None = None
    refs: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.repo or self.org or self.repository or ""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str
    scopes: tuple[Scope, ...]
    base_url: str | None = None
    token_env: str | None = None
    airflow_conn_id: str | None = None
    start_date: dt.datetime | None = None
    lookback_minutes: int = 10
    page_size: int = 100
    streams: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Member:
    key: str
    name: str
    email: str
    github: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    repositories: tuple[str, ...]
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Config:
    path: Path
    state_dir: Path
    sources: tuple[SourceConfig, ...]
    teams: tuple[Team, ...]
    production_environments: tuple[str, ...] = ("production",)
    extra: dict[str, Any] = field(default_factory=dict)

    def source(self, name: str) -> SourceConfig:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"sources: no source named {name!r} (configured: {known})")

    @property
    def landing_dir(self) -> Path:
        return self.state_dir / "landing"

    @property
    def cursor_dir(self) -> Path:
        return self.state_dir / "state"

    @property
    def duckdb_path(self) -> Path:
        return self.state_dir / "warehouse.duckdb"

    @property
    def published_path(self) -> Path:
        return self.state_dir / "published" / "warehouse.duckdb"


def default_state_dir() -> Path:
    """Runtime state lives in the project's ignored .state/ unless DELIVERY_STATE_DIR says otherwise."""
    env = os.environ.get("DELIVERY_STATE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return Path(__file__).resolve().parents[2] / ".state" / "data"


def load_config(path: str | os.PathLike[str]) -> Config:
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist (set DELIVERY_CONFIG or pass --config)")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    return parse_config(_expand_env(document), path)


def parse_config(document: Any, path: Path) -> Config:
    root = _mapping(document, "(top level)", allowed={"warehouse", "sources", "teams", "deployments"})
    warehouse = _mapping(root.get("warehouse", {}), "warehouse", allowed={"state_dir"})
    state_dir = default_state_dir()
    if "state_dir" in warehouse:
        state_dir = (path.parent / _string(warehouse["state_dir"], "warehouse.state_dir")).resolve()
    sources = _list(root.get("sources"), "sources", required=True)
    parsed_sources = tuple(_source(item, f"sources[{i}]") for i, item in enumerate(sources))
    _unique([s.name for s in parsed_sources], "sources[].name")
    teams = tuple(_team(item, f"teams[{i}]") for i, item in enumerate(_list(root.get("teams", []), "teams")))
    _unique([t.key for t in teams], "teams[].key")
    _unique([m.key for t in teams for m in t.members], "teams[].members[].key")
    deployments = _mapping(root.get("deployments", {}), "deployments", allowed={"production_environments"})
    environments = tuple(
        _string(e, f"deployments.production_environments[{i}]")
        for i, e in enumerate(
            _list(deployments.get("production_environments", ["production"]), "deployments.production_environments")
        )
    )
    return Config(
        path=path, state_dir=state_dir, sources=parsed_sources, teams=teams, production_environments=environments
    )


def _source(item: Any, where: str) -> SourceConfig:
    allowed = {
        "name",
        "kind",
        "base_url",
        "token_env",
        "airflow_conn_id",
        "token",
        "scopes",
        "start_date",
        "lookback_minutes",
        "page_size",
        "streams",
    }
    data = _mapping(item, where, allowed=allowed)
    if "token" in data:
        raise ConfigError(
            f"{where}.token: tokens must not be written in the config file; "
            "put it in an environment variable and name it with token_env"
        )
    name = _string(data.get("name"), f"{where}.name")
    if not _NAME_PATTERN.match(name):
        raise ConfigError(
            f"{where}.name: got {name!r}, expected lowercase letters, digits and _ starting with a letter"
        )
    kind = _string(data.get("kind"), f"{where}.kind")
    if kind not in SOURCE_KINDS:
        raise ConfigError(f"{where}.kind: got {kind!r}, expected one of {', '.join(SOURCE_KINDS)}")
    base_url = data.get("base_url")
    if kind != "git":
        base_url = _string(base_url, f"{where}.base_url")
        if not re.match(r"^https?://[^\s/]+", base_url):
            raise ConfigError(f"{where}.base_url: got {base_url!r}, expected an http(s) URL")
        base_url = base_url.rstrip("/")
        if not data.get("token_env") and not data.get("airflow_conn_id"):
            raise ConfigError(f"{where}: expected token_env (environment variable name) or airflow_conn_id")
    scopes = tuple(
        _scope(s, f"{where}.scopes[{i}]", kind)
        for i, s in enumerate(_list(data.get("scopes"), f"{where}.scopes", required=True))
    )
    start = data.get("start_date")
    streams = data.get("streams")
    return SourceConfig(
        name=name,
        kind=kind,
        scopes=scopes,
        base_url=base_url,
        token_env=_optional_string(data.get("token_env"), f"{where}.token_env"),
        airflow_conn_id=_optional_string(data.get("airflow_conn_id"), f"{where}.airflow_conn_id"),
        start_date=_datetime(start, f"{where}.start_date") if start is not None else None,
        lookback_minutes=_int(data.get("lookback_minutes", 10), f"{where}.lookback_minutes", minimum=0),
        page_size=_int(data.get("page_size", 100), f"{where}.page_size", minimum=1, maximum=100),
        streams=tuple(_string(s, f"{where}.streams[]") for s in _list(streams, f"{where}.streams"))
        if streams is not None
        else None,
    )


def _scope(item: Any, where: str, kind: str) -> Scope:
    if kind == "git":
        data = _mapping(item, where, allowed={"path", "repository", "refs"})
        path = _string(data.get("path"), f"{where}.path")
        repository = _string(data.get("repository"), f"{where}.repository")
        _check_repo_name(repository, f"{where}.repository")
        refs = tuple(_string(r, f"{where}.refs[]") for r in _list(data.get("refs", ["HEAD"]), f"{where}.refs"))
        return Scope(path=path, repository=repository, refs=refs)
    data = _mapping(item, where, allowed={"org", "repo"})
    if len(data) != 1:
        raise ConfigError(f"{where}: got {sorted(data)!r}, expected exactly one of org or repo")
    if "org" in data:
        return Scope(org=_string(data["org"], f"{where}.org"))
    repo = _string(data["repo"], f"{where}.repo")
    _check_repo_name(repo, f"{where}.repo")
    return Scope(repo=repo)


def _team(item: Any, where: str) -> Team:
    data = _mapping(item, where, allowed={"key", "name", "repositories", "members"})
    key = _string(data.get("key"), f"{where}.key")
    repositories = tuple(
        _string(r, f"{where}.repositories[{i}]")
        for i, r in enumerate(_list(data.get("repositories", []), f"{where}.repositories"))
    )
    for i, repo in enumerate(repositories):
        _check_repo_name(repo, f"{where}.repositories[{i}]")
    members = []
    for i, member in enumerate(_list(data.get("members", []), f"{where}.members")):
        m_where = f"{where}.members[{i}]"
        m = _mapping(member, m_where, allowed={"key", "name", "email", "github", "aliases"})
        email = _string(m.get("email"), f"{m_where}.email")
        if "@" not in email:
            raise ConfigError(f"{m_where}.email: got {email!r}, expected an email address")
        members.append(
            Member(
                key=_string(m.get("key"), f"{m_where}.key"),
                name=_string(m.get("name", m.get("key")), f"{m_where}.name"),
                email=email,
                github=_optional_string(m.get("github"), f"{m_where}.github"),
                aliases=tuple(
                    _string(a, f"{m_where}.aliases[]") for a in _list(m.get("aliases", []), f"{m_where}.aliases")
                ),
            )
        )
    return Team(
        key=key, name=_string(data.get("name", key), f"{where}.name"), repositories=repositories, members=tuple(members)
    )


def _expand_env(value: Any) -> Any:
    """Expand ${VAR} and ${VAR:-default} in strings; a missing variable without default is an error."""
    if isinstance(value, dict):
        return {k: _expand_env(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v) for v in value]
    if isinstance(value, str):

        def replace(match: re.Match[str]) -> str:
            name, default = match.group(1), match.group(2)
            if name in os.environ:
                return os.environ[name]
            if default is not None:
                return default
            raise ConfigError(f"environment variable {name} is used in the config but not set")

        return _ENV_PATTERN.sub(replace, value)
    return value


def _type_name(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _mapping(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: got {_type_name(value)} {value!r}, expected a mapping")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}, expected one of {', '.join(sorted(allowed))}")
    return value


def _list(value: Any, where: str, required: bool = False) -> list[Any]:
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        raise ConfigError(f"{where}: got {_type_name(value)} {value!r}, expected a non-empty list")
    return value


def _string(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: got {_type_name(value)} {value!r}, expected a non-empty string")
    return value


def _optional_string(value: Any, where: str) -> str | None:
    return None if value is None else _string(value, where)


def _int(value: Any, where: str, minimum: int, maximum: int | None = None) -> int:
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < minimum
        or (maximum is not None and value > maximum)
    ):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(f"{where}: got {value!r}, expected an integer {bound}")
    return value


def _datetime(value: Any, where: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ConfigError(f"{where}: got {value!r}, expected an ISO date like 2026-01-01") from exc
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _check_repo_name(value: str, where: str) -> None:
    if not re.match(r"^[\w.-]+/[\w.-]+$", value):
        raise ConfigError(f"{where}: got {value!r}, expected owner/name")


def _unique(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ConfigError(f"{where}: {value!r} appears twice, expected unique values")
        seen.add(value)
