"""The config's building blocks as pydantic models, and pydantic's errors rewritten as one line per problem.

Every line names the key path, the value found and what was expected (`sources[0].scopes[1].repo: got
'acme', expected owner/name`), so a wrong file is fixed in one go. A source kind's settings model extends
`SourceSettings` (or `HttpSourceSettings` for an API with a token) and adds its own keys and scope model.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from extractors.core.errors import ConfigError
from extractors.core.http import DEFAULT_MAX_PAGES

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_REPO = re.compile(r"^[\w.-]+/[\w.-]+$")
_PROJECT_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_URL = re.compile(r"^https?://[^\s/]+")


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("got '', expected a non-empty string")
    return value


def _pattern(pattern: re.Pattern[str], expected: str):
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f"got {value!r}, expected {expected}")
        return value

    return AfterValidator(check)


def _utc_datetime(value: Any) -> Any:
    """Dates and times are UTC: a bare date is midnight UTC, a time without offset is UTC."""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"got {value!r}, expected an ISO date like 2026-01-01") from None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def int_between(low: int, high: int | None = None) -> Any:
    """An integer in [low, high], said in one message with both bounds (pydantic's ge/le name one)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f">= {low}"
            raise ValueError(f"got {value!r}, expected an integer {bound}")
        return value

    return Annotated[int, BeforeValidator(check)]


def number_between(low: float, high: float, *, low_inclusive: bool = True) -> Any:
    """A number in [low, high] (or (low, high]), said in one message with both bounds."""

    def check(value: Any) -> float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or value > high or value < low or (not low_inclusive and value == low):
            bound = f"{'at least' if low_inclusive else 'above'} {low} and at most {high}"
            raise ValueError(f"got {value!r}, expected a number {bound}")
        return float(value)

    return Annotated[float, BeforeValidator(check)]


Text = Annotated[str, AfterValidator(_non_empty)]
Name = Annotated[str, _pattern(_NAME, "lowercase letters, digits and _ starting with a letter")]
RepoName = Annotated[str, _pattern(_REPO, "owner/name")]
ProjectKey = Annotated[str, _pattern(_PROJECT_KEY, "a Jira project key like CHK")]
HttpUrl = Annotated[str, _pattern(_URL, "an http(s) URL"), AfterValidator(lambda url: url.rstrip("/"))]
UtcDatetime = Annotated[dt.datetime, BeforeValidator(_utc_datetime), AfterValidator(lambda d: d.astimezone(dt.UTC))]


class StrictModel(BaseModel):
    """Frozen, and an unknown key is an error that lists the keys there are."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=False, populate_by_name=False)


class Scope(StrictModel):
    """One unit of extraction (a repository, a project, an account); its `key` names it in landing paths,
    cursors, raw tables and the DAG's mapped tasks."""

    key_field: ClassVar[str]

    @property
    def key(self) -> str:
        return getattr(self, self.key_field)


class SourceSettings(StrictModel):
    """What every source has. A kind's model sets `kind` to a Literal and `scopes` to its scope model."""

    name: Name
    kind: str
    scopes: tuple[Any, ...] = Field(min_length=1)
    start_date: UtcDatetime | None = None
    lookback_minutes: int_between(0) = 10
    page_size: int_between(1, 100) = 100

    @field_validator("scopes")
    @classmethod
    def _unique_scopes(cls, scopes: tuple[Any, ...]) -> tuple[Any, ...]:
        keys = [scope.key for scope in scopes]
        for key in keys:
            if keys.count(key) > 1:
                raise ValueError(f"{key!r} appears twice, expected each scope once")
        return scopes

    def scope(self, key: str) -> Any:
        """The configured scope a plan step named (an org's repositories are not configured one by one)."""
        return next((scope for scope in self.scopes if scope.key == key), None)

    def may_hold(self, repository_glob: str) -> bool:
        """Whether a repository the `owner/name` glob matches may be among this source's scopes (a kind that
        knows what its scopes hold says no where it can)."""
        return True


class HttpSourceSettings(SourceSettings):
    """A source read over HTTP with a token from the environment or an Airflow Connection, never the file."""

    base_url: HttpUrl
    token_env: Text | None = None
    airflow_conn_id: Text | None = None
    # pages one paging loop (one stream of one scope in one run) may read before it stops with an error
    max_pages: int_between(1, 1_000_000) = DEFAULT_MAX_PAGES

    @model_validator(mode="after")
    def _token_from_somewhere(self) -> HttpSourceSettings:
        if self.token_env is None and self.airflow_conn_id is None:
            raise ValueError("expected token_env (environment variable name) or airflow_conn_id")
        return self


class BasicAuthSettings(HttpSourceSettings):
    """An API that also takes a user with the token (Basic auth), e.g. a Jira Cloud account email."""

    user_env: Text | None = None  # absent: the token alone, as a Bearer token


# pydantic error type -> what was expected, in words; {…} are filled from the error's context
_EXPECTED = {
    "missing": "a value (the key is required)",
    "string_type": "a non-empty string",
    "int_type": "an integer",
    "int_parsing": "an integer",
    "int_from_float": "an integer",
    "bool_type": "true or false",
    "list_type": "a non-empty list",
    "tuple_type": "a non-empty list",
    "too_short": "a non-empty list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date like 2026-01-01",
    "date_parsing": "a date like 2026-01-01",
    "date_from_datetime_parsing": "a date like 2026-01-01",
    "date_from_datetime_inexact": "a date like 2026-01-01",
    "datetime_type": "an ISO date like 2026-01-01",
    "datetime_parsing": "an ISO date like 2026-01-01",
    "datetime_from_date_parsing": "an ISO date like 2026-01-01",
    "greater_than_equal": "an integer >= {ge}",
    "less_than_equal": "an integer <= {le}",
    "literal_error": "{expected}",
    "extra_forbidden": "no such key",
}


def location(parts: Iterable[Any]) -> str:
    """('sources', 0, 'scopes', 1, 'repo') -> sources[0].scopes[1].repo"""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _got(value: Any, error_type: str) -> str:
    if value is None:
        return "nothing"
    if error_type.endswith("_type") or error_type in {"too_short", "model_attributes_type"}:
        return f"{type(value).__name__} {value!r}"
    return repr(value)


def error_lines(error: ValidationError, prefix: Iterable[Any] = (), model: type[BaseModel] | None = None) -> list[str]:
    lines = []
    errors = error.errors(include_url=False)
    for item in errors:
        here = item["loc"]
        if any(len(other["loc"]) > len(here) and other["loc"][: len(here)] == here for other in errors):
            continue  # a list that is short only because an item inside it failed: the item's line says it
        loc = [*prefix, *item["loc"]]
        kind, message = item["type"], item["msg"]
        if kind == "value_error":
            lines.append(f"{location(loc)}: {message.removeprefix('Value error, ')}")
        elif kind == "extra_forbidden":
            allowed = _allowed_keys(model, item["loc"][:-1])
            lines.append(
                f"{location(loc[:-1]) or '(top level)'}: unknown key {item['loc'][-1]!r}"
                + (f", expected one of {', '.join(sorted(allowed))}" if allowed else "")
            )
        else:
            expected = _EXPECTED.get(kind, message).format(**item.get("ctx", {}))
            lines.append(f"{location(loc)}: got {_got(item.get('input'), kind)}, expected {expected}")
    return lines


def _allowed_keys(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> list[str]:
    """The keys a mapping at `loc` may have, found by walking the model's fields (ints index lists)."""
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(str(part)) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        model = _model_in(field.annotation) if field else None
    if model is None:
        return []
    return [field.alias or name for name, field in model.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def validate(model: type[StrictModel], data: Any, prefix: Iterable[Any] = ()) -> Any:
    """Validate `data` as `model`; every problem becomes one line of one ConfigError."""
    prefix = tuple(prefix)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("\n".join(error_lines(exc, prefix, model))) from None
