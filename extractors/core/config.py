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
from extractors.jira.issue_types import CANONICAL_TYPES

SOURCE_KINDS = ("github", "git", "jira", "pagerduty")
_ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
JIRA_FIELD_ROLES = ("story_points", "sprint")
METRIC_KEYS = ("incident_attribution_window_hours", "dora_band_year", "production_bug_labels")


@dataclass(frozen=True)
class Scope:
    """One unit of extraction: a GitHub org or repo, a local git repository, a Jira project or a PagerDuty account."""

    org: str | None = None
    repo: str | None = None
    path: str | None = None
    repository: str | None = None
    refs: tuple[str, ...] = ()
    project: str | None = None
    account: str | None = None

    @property
    def key(self) -> str:
        return self.repo or self.org or self.repository or self.project or self.account or ""


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
    user_env: str | None = None  # jira: email for Basic auth (Cloud); absent -> Bearer
    fields: dict[str, str] = field(default_factory=dict)  # jira: role -> field name or id
    issue_types: dict[str, str] = field(default_factory=dict)  # jira: issue type name -> canonical type


@dataclass(frozen=True)
class Member:
    key: str
    name: str
    email: str
    github: str | None = None
    aliases: tuple[str, ...] = ()
    valid_from: dt.date | None = None  # membership dates (UTC); valid_to exclusive
    valid_to: dt.date | None = None


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    repositories: tuple[str, ...]
    members: tuple[Member, ...]
    projects: tuple[str, ...] = ()


@dataclass(frozen=True)
class ServiceMapping:
    """A PagerDuty service (name or id) and the repository whose deployments its incidents follow."""

    pagerduty: str
    repository: str


@dataclass(frozen=True)
class Config:
    path: Path
    state_dir: Path
    sources: tuple[SourceConfig, ...]
    teams: tuple[Team, ...]
    production_environments: tuple[str, ...] = ("production",)
    services: tuple[ServiceMapping, ...] = ()
    metrics: dict[str, Any] = field(default_factory=dict)  # only the keys set; passed to dbt as --vars
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
    root = _mapping(
        document, "(top level)", allowed={"warehouse", "sources", "teams", "deployments", "services", "metrics"}
    )
    warehouse = _mapping(root.get("warehouse", {}), "warehouse", allowed={"state_dir"})
    state_dir = default_state_dir()
    if "state_dir" in warehouse:
        state_dir = (path.parent / _string(warehouse["state_dir"], "warehouse.state_dir")).resolve()
    sources = _list(root.get("sources"), "sources", required=True)
    parsed_sources = tuple(_source(item, f"sources[{i}]") for i, item in enumerate(sources))
    _unique([s.name for s in parsed_sources], "sources[].name")
    teams = tuple(_team(item, f"teams[{i}]") for i, item in enumerate(_list(root.get("teams", []), "teams")))
    _unique([t.key for t in teams], "teams[].key")
    _check_member_ranges(teams)
    deployments = _mapping(root.get("deployments", {}), "deployments", allowed={"production_environments"})
    environments = tuple(
        _string(e, f"deployments.production_environments[{i}]")
        for i, e in enumerate(
            _list(deployments.get("production_environments", ["production"]), "deployments.production_environments")
        )
    )
    services = tuple(
        _service(item, f"services[{i}]") for i, item in enumerate(_list(root.get("services", []), "services"))
    )
    return Config(
        path=path,
        state_dir=state_dir,
        sources=parsed_sources,
        teams=teams,
        production_environments=environments,
        services=services,
        metrics=_metrics(root.get("metrics", {})),
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
    if isinstance(item, dict) and item.get("kind") == "jira":
        allowed |= {"user_env", "fields", "issue_types"}
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
    if kind == "pagerduty" and len(scopes) != 1:
        raise ConfigError(
            f"{where}.scopes: got {len(scopes)} scopes, expected exactly one {{account: label}} "
            "(a PagerDuty token reaches one account)"
        )
    _unique([s.key for s in scopes], f"{where}.scopes[]")
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
        user_env=_optional_string(data.get("user_env"), f"{where}.user_env"),
        fields=_jira_fields(data.get("fields", {}), f"{where}.fields"),
        issue_types=_issue_types(data.get("issue_types", {}), f"{where}.issue_types"),
    )


def _jira_fields(value: Any, where: str) -> dict[str, str]:
    data = _mapping(value if value is not None else {}, where, allowed=set(JIRA_FIELD_ROLES))
    return {role: _string(name, f"{where}.{role}") for role, name in data.items()}


def _issue_types(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: got {_type_name(value)} {value!r}, expected a mapping of issue type name to type")
    types: dict[str, str] = {}
    for name, canonical in value.items():
        name = _string(name, f"{where} key")
        if canonical not in CANONICAL_TYPES:
            raise ConfigError(f"{where}.{name}: got {canonical!r}, expected one of {', '.join(CANONICAL_TYPES)}")
        types[name] = canonical
    return types


def _service(item: Any, where: str) -> ServiceMapping:
    data = _mapping(item, where, allowed={"pagerduty", "repository"})
    repository = _string(data.get("repository"), f"{where}.repository")
    _check_repo_name(repository, f"{where}.repository")
    return ServiceMapping(pagerduty=_string(data.get("pagerduty"), f"{where}.pagerduty"), repository=repository)


def _metrics(value: Any) -> dict[str, Any]:
    data = _mapping(value if value is not None else {}, "metrics", allowed=set(METRIC_KEYS))
    metrics: dict[str, Any] = {}
    if "incident_attribution_window_hours" in data:
        metrics["incident_attribution_window_hours"] = _int(
            data["incident_attribution_window_hours"], "metrics.incident_attribution_window_hours", 1, 720
        )
    if "dora_band_year" in data:
        year = data["dora_band_year"]
        if isinstance(year, bool) or year not in (2023, 2024):
            raise ConfigError(f"metrics.dora_band_year: got {year!r}, expected 2023 or 2024")
        metrics["dora_band_year"] = year
    if "production_bug_labels" in data:
        metrics["production_bug_labels"] = [
            _string(label, f"metrics.production_bug_labels[{i}]")
            for i, label in enumerate(_list(data["production_bug_labels"], "metrics.production_bug_labels"))
        ]
    return metrics


def _scope(item: Any, where: str, kind: str) -> Scope:
    if kind == "git":
        data = _mapping(item, where, allowed={"path", "repository", "refs"})
        path = _string(data.get("path"), f"{where}.path")
        repository = _string(data.get("repository"), f"{where}.repository")
        _check_repo_name(repository, f"{where}.repository")
        refs = tuple(_string(r, f"{where}.refs[]") for r in _list(data.get("refs", ["HEAD"]), f"{where}.refs"))
        return Scope(path=path, repository=repository, refs=refs)
    if kind == "jira":
        data = _mapping(item, where, allowed={"project"})
        project = _string(data.get("project"), f"{where}.project")
        _check_project_key(project, f"{where}.project")
        return Scope(project=project)
    if kind == "pagerduty":
        data = _mapping(item, where, allowed={"account"})
        return Scope(account=_string(data.get("account"), f"{where}.account"))
    data = _mapping(item, where, allowed={"org", "repo"})
    if len(data) != 1:
        raise ConfigError(f"{where}: got {sorted(data)!r}, expected exactly one of org or repo")
    if "org" in data:
        return Scope(org=_string(data["org"], f"{where}.org"))
    repo = _string(data["repo"], f"{where}.repo")
    _check_repo_name(repo, f"{where}.repo")
    return Scope(repo=repo)


def _team(item: Any, where: str) -> Team:
    data = _mapping(item, where, allowed={"key", "name", "repositories", "projects", "members"})
    key = _string(data.get("key"), f"{where}.key")
    repositories = tuple(
        _string(r, f"{where}.repositories[{i}]")
        for i, r in enumerate(_list(data.get("repositories", []), f"{where}.repositories"))
    )
    for i, repo in enumerate(repositories):
        _check_repo_name(repo, f"{where}.repositories[{i}]")
    projects = tuple(
        _string(p, f"{where}.projects[{i}]") for i, p in enumerate(_list(data.get("projects", []), f"{where}.projects"))
    )
    for i, project in enumerate(projects):
        _check_project_key(project, f"{where}.projects[{i}]")
    members = []
    for i, member in enumerate(_list(data.get("members", []), f"{where}.members")):
        m_where = f"{where}.members[{i}]"
        m = _mapping(member, m_where, allowed={"key", "name", "email", "github", "aliases", "from", "until"})
        email = _string(m.get("email"), f"{m_where}.email")
        if "@" not in email:
            raise ConfigError(f"{m_where}.email: got {email!r}, expected an email address")
        valid_from = _date(m["from"], f"{m_where}.from") if m.get("from") is not None else None
        valid_to = _date(m["until"], f"{m_where}.until") if m.get("until") is not None else None
        if valid_from and valid_to and valid_to <= valid_from:
            raise ConfigError(f"{m_where}.until: got {valid_to}, expected a date after from ({valid_from})")
        members.append(
            Member(
                key=_string(m.get("key"), f"{m_where}.key"),
                name=_string(m.get("name", m.get("key")), f"{m_where}.name"),
                email=email,
                github=_optional_string(m.get("github"), f"{m_where}.github"),
                aliases=tuple(
                    _string(a, f"{m_where}.aliases[]") for a in _list(m.get("aliases", []), f"{m_where}.aliases")
                ),
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    return Team(
        key=key,
        name=_string(data.get("name", key), f"{where}.name"),
        repositories=repositories,
        members=tuple(members),
        projects=projects,
    )


def _check_member_ranges(teams: tuple[Team, ...]) -> None:
    """A person may move between teams: the same key again only with the same email and disjoint dates."""
    seen: dict[str, list[tuple[str, Member]]] = {}
    for t_index, team in enumerate(teams):
        for m_index, member in enumerate(team.members):
            where = f"teams[{t_index}].members[{m_index}]"
            for other_where, other in seen.get(member.key, []):
                if other.email.lower() != member.email.lower():
                    raise ConfigError(
                        f"{where}.email: got {member.email!r} for member {member.key!r}, expected "
                        f"{other.email!r} as at {other_where} (one key, one person)"
                    )
                if _overlap(member, other):
                    raise ConfigError(
                        f"{where}: member {member.key!r} from {member.valid_from or 'the start'} until "
                        f"{member.valid_to or 'open end'} overlaps {other_where}; expected non-overlapping from/until "
                        "when a member key appears more than once"
                    )
            seen.setdefault(member.key, []).append((where, member))


def _overlap(a: Member, b: Member) -> bool:
    low, high = dt.date.min, dt.date.max
    return (a.valid_from or low) < (b.valid_to or high) and (b.valid_from or low) < (a.valid_to or high)


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


def _date(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: got {value!r}, expected a date like 2026-01-01") from exc


def _check_project_key(value: str, where: str) -> None:
    if not _PROJECT_KEY.match(value):
        raise ConfigError(f"{where}: got {value!r}, expected a Jira project key like CHK")


def _check_repo_name(value: str, where: str) -> None:
    if not re.match(r"^[\w.-]+/[\w.-]+$", value):
        raise ConfigError(f"{where}: got {value!r}, expected owner/name")


def _unique(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ConfigError(f"{where}: {value!r} appears twice, expected unique values")
        seen.add(value)
