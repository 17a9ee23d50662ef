"""Load and validate the pipeline's YAML configuration.

The file's shape is pydantic models: the core ones here (teams, services, deployments, metrics) and one
settings model per source kind, chosen by the source's `kind` from the registry. Every error names the
key path, the value found and what was expected. Tokens never live in the file: a source names the
environment variable or Airflow Connection holding it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, Field, field_validator, model_validator

from extractors.core.deployment_rules import DeploymentRule, Deployments
from extractors.core.errors import ConfigError
from extractors.core.registry import source_kinds
from extractors.core.settings import (
    ProjectKey,
    RepoName,
    SourceSettings,
    StrictModel,
    Text,
    int_between,
    location,
    number_between,
    validate,
)

_ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_TOOL = re.compile(r"^[a-z][a-z0-9_-]*$")


def _tool_name(tool: str) -> str:
    """Tools compare by name (the Copilot API's seats are `copilot`): one spelling, lowercase."""
    if not _TOOL.match(tool):
        raise ValueError(f"got {tool!r}, expected a lowercase tool name like copilot, cursor or claude_code")
    return tool


class Keyed(StrictModel):
    """Something named by a key, whose display name defaults to the key."""

    key: Text
    name: Text | None = None

    @model_validator(mode="after")
    def _name_defaults_to_key(self) -> Keyed:
        if self.name is None:
            object.__setattr__(self, "name", self.key)  # frozen: set once, while validating
        return self


class Member(Keyed):
    email: Text
    github: Text | None = None
    aliases: tuple[Text, ...] = ()
    valid_from: dt.date | None = Field(None, alias="from")  # membership dates (UTC); until is exclusive
    valid_to: dt.date | None = Field(None, alias="until")

    @field_validator("email")
    @classmethod
    def _email(cls, email: str) -> str:
        if "@" not in email:
            raise ValueError(f"got {email!r}, expected an email address")
        return email

    @field_validator("valid_to")
    @classmethod
    def _after_from(cls, valid_to: dt.date | None, info: Any) -> dt.date | None:
        valid_from = info.data.get("valid_from")
        if valid_to and valid_from and valid_to <= valid_from:
            raise ValueError(f"got {valid_to}, expected a date after from ({valid_from})")
        return valid_to


class Team(Keyed):
    repositories: tuple[RepoName, ...] = ()
    projects: tuple[ProjectKey, ...] = ()
    members: tuple[Member, ...] = ()
    # when the team adopted AI coding tools, if known; otherwise the warehouse infers it (METRICS.md)
    ai_adoption_date: dt.date | None = None


class ServiceMapping(StrictModel):
    """A service (METRICS.md "Services"): a repository, or the part of a monorepo its path globs select, that
    deploys on its own; and/or the PagerDuty service (name or id) whose incidents follow its deployments."""

    name: Text | None = None  # what deployment rules and reports call it
    repository: RepoName
    # globs on a changed file's path (`*` crosses `/`): services/web/* ; none: the whole repository
    paths: tuple[Text, ...] = ()
    pagerduty: Text | None = None

    @model_validator(mode="after")
    def _named_when_it_deploys(self) -> ServiceMapping:
        if self.paths and self.name is None:
            raise ValueError("a service with paths needs a name (deployment rules and reports use it)")
        if self.name is None and self.pagerduty is None:
            raise ValueError("a service needs a name, a pagerduty service, or both")
        return self


def _regular_expression(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"got {pattern!r}, expected a regular expression ({exc})") from None
    return pattern


class Metrics(StrictModel):
    """Rules passed to dbt as --vars; only the keys set (dbt_project.yml holds the defaults)."""

    incident_attribution_window_hours: int_between(1, 720) | None = None
    # METRICS.md "Outcomes": which incidents are production failures; whether failed attempts are change failures
    production_failure_urgencies: tuple[Text, ...] | None = Field(None, min_length=1)
    failed_attempts_are_change_failures: bool | None = None
    count_deployments_per_environment: bool | None = None
    # marts.dim_people.email stays null unless true: the published snapshot is read more widely than the warehouse
    expose_person_emails: bool | None = None
    dora_band_year: Literal[2023, 2024] | None = None
    production_bug_labels: tuple[Text, ...] | None = Field(None, min_length=1)
    # AI assistance (METRICS.md): lists match ignoring case; an empty list switches that signal off.
    ai_coauthor_pattern: Annotated[Text, AfterValidator(_regular_expression)] | None = None
    ai_agent_logins: tuple[Text, ...] | None = None
    ai_branch_prefixes: tuple[Text, ...] | None = None
    ai_labels: tuple[Text, ...] | None = None
    ai_body_markers: tuple[Text, ...] | None = None
    infrastructure_to_ai_spend_target: number_between(0, 1000, low_inclusive=False) | None = None
    # divergence, team adoption and AI impact (METRICS.md): spans in weeks, thresholds, the bootstrap
    divergence_window_weeks: int_between(1, 52) | None = None
    divergence_baseline_weeks: int_between(1, 104) | None = None
    divergence_activity_threshold: number_between(0, 10, low_inclusive=False) | None = None
    divergence_outcome_threshold: number_between(0, 10, low_inclusive=False) | None = None
    divergence_min_sample: int_between(1, 100_000) | None = None
    ai_adoption_pr_share: number_between(0, 1, low_inclusive=False) | None = None
    ai_adoption_seat_share: number_between(0, 1, low_inclusive=False) | None = None
    ai_adoption_sustain_weeks: int_between(1, 52) | None = None
    ai_adoption_ramp_weeks: int_between(0, 52) | None = None
    ai_impact_before_weeks: int_between(1, 104) | None = None
    ai_impact_after_weeks: int_between(1, 104) | None = None
    ai_impact_min_weeks: int_between(1, 104) | None = None
    ai_impact_min_events: int_between(1, 100_000) | None = None
    ai_impact_bootstrap_replicates: int_between(100, 100_000) | None = None
    ai_impact_seed: int_between(0, 2**31 - 1) | None = None
    # alerts (METRICS.md "Alerts"): the baseline and each metric's relative worsening that alerts
    alert_baseline_weeks: int_between(1, 104) | None = None
    alert_min_baseline_weeks: int_between(1, 104) | None = None
    alert_threshold_deployments: number_between(0, 1, low_inclusive=False) | None = None
    alert_threshold_lead_time_p50_hours: number_between(0, 100, low_inclusive=False) | None = None
    alert_threshold_change_failure_rate: number_between(0, 100, low_inclusive=False) | None = None
    alert_threshold_recovery_time_p50_hours: number_between(0, 100, low_inclusive=False) | None = None
    alert_threshold_request_to_production_p50_hours: number_between(0, 100, low_inclusive=False) | None = None


class AiTool(StrictModel):
    """Who had an AI coding tool when: a member key or a team key (every member while in the team)."""

    member: Text | None = None
    team: Text | None = None
    tool: Annotated[str, AfterValidator(_tool_name)]
    valid_from: dt.date = Field(alias="from")
    valid_to: dt.date | None = Field(None, alias="until")  # exclusive; absent = still held

    @model_validator(mode="after")
    def _one_holder_and_dates(self) -> AiTool:
        if (self.member is None) == (self.team is None):
            raise ValueError("expected exactly one of member or team")
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValueError(f"until: got {self.valid_to}, expected a date after from ({self.valid_from})")
        return self

    @property
    def holder(self) -> str:
        return f"member {self.member!r}" if self.member else f"team {self.team!r}"


class Freshness(StrictModel):
    """How long after its last load a raw stream is stale (METRICS.md "Data freshness"): `dbt source freshness`
    warns after warn_after_hours and errors after error_after_hours. The defaults suit the daily extract
    schedules: a warning when one day's load is missing (24 h plus slack), an error when two are."""

    warn_after_hours: int_between(1, 8760) = 26
    error_after_hours: int_between(1, 8760) = 50

    @model_validator(mode="after")
    def _error_after_warn(self) -> Freshness:
        if self.error_after_hours <= self.warn_after_hours:
            raise ValueError(
                f"error_after_hours: got {self.error_after_hours}, expected more than warn_after_hours "
                f"({self.warn_after_hours})"
            )
        return self

    def dbt_vars(self) -> dict[str, int]:
        """The thresholds as the dbt vars the raw sources read (dbt_project/models/staging/*/_*__sources.yml)."""
        return {
            "freshness_warn_after_hours": self.warn_after_hours,
            "freshness_error_after_hours": self.error_after_hours,
        }


class Warehouse(StrictModel):
    state_dir: Text | None = None  # relative to the config file


class ConfigFile(StrictModel):
    """What the YAML file holds; sources stay mappings here and are validated by their kind's model."""

    warehouse: Warehouse = Warehouse()
    sources: tuple[dict[str, Any], ...] = Field(min_length=1)
    teams: tuple[Team, ...] = ()
    deployments: Deployments = Deployments()
    services: tuple[ServiceMapping, ...] = ()
    metrics: Metrics = Metrics()
    ai_tools: tuple[AiTool, ...] = ()
    freshness: Freshness = Freshness()


class Config(StrictModel):
    path: Path
    state_dir: Path
    sources: tuple[SourceSettings, ...]
    teams: tuple[Team, ...]
    production_environments: tuple[str, ...]
    deployment_rules: tuple[DeploymentRule, ...] = ()
    services: tuple[ServiceMapping, ...]
    metrics: dict[str, Any]
    ai_tools: tuple[AiTool, ...] = ()
    freshness: Freshness = Freshness()

    def source(self, name: str) -> SourceSettings:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none"
        raise ConfigError(f"sources: no source named {name!r} (configured: {known})")

    def sources_of_kind(self, kind: str) -> list[SourceSettings]:
        return [source for source in self.sources if source.kind == kind]

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


class _TextLoader(yaml.SafeLoader):
    """YAML without implicit timestamps: dates reach the models as text, so a bad one is reported by key."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_config(path: str | os.PathLike[str]) -> Config:
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise ConfigError(f"config file {path} does not exist (set DELIVERY_CONFIG or pass --config)")
    try:
        document = yaml.load(path.read_bytes().decode("utf-8"), Loader=_TextLoader)  # noqa: S506 - a SafeLoader
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.object[exc.start]:#x} at offset {exc.start})") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None
    return parse_config(_expand_env(document), path)


def parse_config(document: Any, path: Path) -> Config:
    file: ConfigFile = validate(ConfigFile, document)
    state_dir = default_state_dir()
    if file.warehouse.state_dir:
        state_dir = (path.parent / file.warehouse.state_dir).resolve()
    sources = tuple(_source(item, ("sources", i)) for i, item in enumerate(file.sources))
    _unique([s.name for s in sources], "sources[].name")
    _unique([t.key for t in file.teams], "teams[].key")
    _check_member_ranges(file.teams)
    _check_claims(file.teams)
    _check_ai_tools(file.ai_tools, file.teams)
    _check_rule_streams(file.deployments.rules, sources)
    _check_services(file.services, file.deployments.rules, sources)
    return Config.model_construct(
        path=path,
        state_dir=state_dir,
        sources=sources,
        teams=file.teams,
        production_environments=file.deployments.production_environments,
        deployment_rules=file.deployments.rules,
        services=file.services,
        metrics=file.metrics.model_dump(exclude_none=True, mode="json"),
        ai_tools=file.ai_tools,
        freshness=file.freshness,
    )


def _source(item: dict[str, Any], where: tuple[Any, ...]) -> SourceSettings:
    if "token" in item:
        raise ConfigError(
            f"{location(where)}.token: tokens must not be written in the config file; "
            "put it in an environment variable and name it with token_env"
        )
    kinds = source_kinds()
    kind = item.get("kind")
    if kind not in kinds:
        raise ConfigError(f"{location(where)}.kind: got {kind!r}, expected one of {', '.join(kinds)}")
    return validate(kinds[kind].settings, item, where)


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


def _check_rule_streams(rules: tuple[DeploymentRule, ...], sources: tuple[SourceSettings, ...]) -> None:
    """A deployment rule reads some streams (its kind says which): a source that may hold the rule's
    repositories but leaves one of them out of its `streams` would find no deployment there, silently."""
    kinds = source_kinds()
    for index, rule in enumerate(rules):
        for source in sources:
            streams = kinds[source.kind].deployment_streams
            needed = streams.get(rule.via, ()) + tuple(
                name for field in rule.model_fields_set for name in streams.get(f"{rule.via}.{field}", ())
            )
            chosen = getattr(source, "streams", None)  # None: every stream
            if not needed or chosen is None or not any(source.may_hold(glob) for glob in rule.repositories):
                continue
            if missing := [name for name in needed if name not in chosen]:
                raise ConfigError(
                    f"deployments.rules[{index}]: via {rule.via} reads the {' and '.join(needed)} streams, but "
                    f"source {source.name!r} leaves out {', '.join(missing)}: add them to its streams"
                )


def _check_services(
    services: tuple[ServiceMapping, ...], rules: tuple[DeploymentRule, ...], sources: tuple[SourceSettings, ...]
) -> None:
    """Service names are unique; a rule's service is a configured one in a repository the rule matches; a
    service's paths are matched against commit files, so some source must give its repository's."""
    named = {}
    for index, service in enumerate(services):
        if service.name is None:
            continue
        if (first := named.setdefault(service.name.lower(), index)) != index:
            raise ConfigError(f"services[{index}].name: {service.name!r} is already services[{first}]'s")
        if service.paths and not _commit_files_source(service.repository, sources):
            raise ConfigError(
                f"services[{index}].paths: matched against changed files, which only a source with commit files "
                f"gives (kinds: {', '.join(_commit_file_kinds())}); none holds {service.repository}: add one"
            )
    for index, rule in enumerate(rules):
        if rule.service is None:
            continue
        where = f"deployments.rules[{index}].service"
        if (position := named.get(rule.service.lower())) is None:
            known = ", ".join(s.name for s in services if s.name) or "none"
            raise ConfigError(f"{where}: no service named {rule.service!r} (configured: {known})")
        repository = services[position].repository
        if not any(fnmatch.fnmatchcase(repository.lower(), glob.lower()) for glob in rule.repositories):
            raise ConfigError(f"{where}: {rule.service!r} is in {repository}, which the rule's repositories miss")


def _commit_file_kinds() -> list[str]:
    return [name for name, kind in source_kinds().items() if kind.commit_file_streams]


def _commit_files_source(repository: str, sources: tuple[SourceSettings, ...]) -> bool:
    kinds = source_kinds()
    for source in sources:
        needed = kinds[source.kind].commit_file_streams
        chosen = getattr(source, "streams", None)  # None: every stream
        if needed and source.may_hold(repository) and (chosen is None or set(needed) <= set(chosen)):
            return True
    return False


def _check_claims(teams: tuple[Team, ...]) -> None:
    """What decides whose data a record is must point one way: a repository or project belongs to one team,
    and an email, login or alias to one member key. Otherwise the first match would silently win."""
    owners: dict[tuple[str, str], tuple[str, str]] = {}  # (what, value) -> (where, owner)

    def claim(what: str, value: str, where: str, owner: str) -> None:
        first = owners.setdefault((what, value.lower()), (where, owner))
        if first[1] != owner:
            raise ConfigError(
                f"{where}: {what} {value!r} is claimed by {owner!r} and by {first[1]!r} at {first[0]}; "
                f"expected each {what} once"
            )

    for t, team in enumerate(teams):
        for r, repository in enumerate(team.repositories):
            claim("repository", repository, f"teams[{t}].repositories[{r}]", team.key)
        for p, project in enumerate(team.projects):
            claim("project", project, f"teams[{t}].projects[{p}]", team.key)
        for m, member in enumerate(team.members):
            where = f"teams[{t}].members[{m}]"
            claim("email", member.email, f"{where}.email", member.key)
            if member.github:
                claim("github login", member.github, f"{where}.github", member.key)
            for a, alias in enumerate(member.aliases):
                claim("alias", alias, f"{where}.aliases[{a}]", member.key)


def _check_ai_tools(ai_tools: tuple[AiTool, ...], teams: tuple[Team, ...]) -> None:
    """Each entry names a configured member or team; one person's periods of one tool never overlap, whether
    listed for the member or for a team they were in at the time (a team entry covers its membership dates)."""
    team_keys = {team.key for team in teams}
    member_keys = {member.key for team in teams for member in team.members}
    held: dict[tuple[str, str], list[tuple[str, dt.date, dt.date | None]]] = {}  # (person, tool) -> periods
    for index, entry in enumerate(ai_tools):
        where = f"ai_tools[{index}]"
        if entry.member is not None and entry.member not in member_keys:
            raise ConfigError(f"{where}.member: got {entry.member!r}, expected a member key listed under teams")
        if entry.team is not None and entry.team not in team_keys:
            known = ", ".join(sorted(team_keys)) or "none"
            raise ConfigError(f"{where}.team: got {entry.team!r}, expected one of the team keys ({known})")
        for person, low, high in _ai_tool_periods(entry, teams):
            label = f"{where} ({entry.holder}: {person!r} from {low} until {high or 'open end'})"
            for other_label, other_low, other_high in held.get((person, entry.tool), []):
                if low < (other_high or dt.date.max) and other_low < (high or dt.date.max):
                    raise ConfigError(
                        f"{label} overlaps {other_label} for tool {entry.tool!r}; expected non-overlapping "
                        "from/until for one person and tool"
                    )
            held.setdefault((person, entry.tool), []).append((label, low, high))


def _ai_tool_periods(entry: AiTool, teams: tuple[Team, ...]) -> list[tuple[str, dt.date, dt.date | None]]:
    """(person, from, until) an entry gives: the member's own, or each team member's within their membership."""
    if entry.member is not None:
        return [(entry.member, entry.valid_from, entry.valid_to)]
    periods = []
    for member in (m for team in teams if team.key == entry.team for m in team.members):
        low = max(entry.valid_from, member.valid_from or dt.date.min)
        high = min(entry.valid_to or dt.date.max, member.valid_to or dt.date.max)
        if low < high:
            periods.append((member.key, low, None if high == dt.date.max else high))
    return periods


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


def _unique(values: list[str], where: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ConfigError(f"{where}: {value!r} appears twice, expected unique values")
        seen.add(value)


__all__ = ["AiTool", "Config", "ConfigError", "Member", "ServiceMapping", "SourceSettings", "Team", "load_config"]
