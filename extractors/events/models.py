"""Version 1 of the two pushed event types, as pydantic models (docs/EVENTS.md; the JSON Schema files in
schemas/ say the same and a test keeps them in step).

An unknown field is an error, not ignored: a typo (`finshed_at`) must not silently drop the value. A rule
that spans fields (finished_at needed unless in progress, never before started_at) is in `cross_checks`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from extractors.events.fields import Repository, Sha, Text, Time, Url, literal, one_of, parse_time

DEPLOYMENT_SCHEMA = "delivery.deployment/v1"
INCIDENT_SCHEMA = "delivery.incident/v1"
DEPLOYMENT_STATUSES = ("success", "failure", "error", "in_progress")
URGENCIES = ("high", "low")


class Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeploymentEvent(Event):
    schema_: literal(DEPLOYMENT_SCHEMA) = Field(alias="schema")  # `schema` would shadow a BaseModel attribute
    id: Text
    service: Text
    repository: Repository | None = None
    environment: Text
    sha: Sha
    started_at: Time
    finished_at: Time | None = None
    status: one_of(*DEPLOYMENT_STATUSES)
    url: Url | None = None
    actor: Text | None = None


class IncidentEvent(Event):
    schema_: literal(INCIDENT_SCHEMA) = Field(alias="schema")
    id: Text
    service: Text
    repository: Repository | None = None
    title: Text
    urgency: one_of(*URGENCIES)
    started_at: Time
    resolved_at: Time | None = None
    deployment_id: Text | None = None
    sha: Sha | None = None
    url: Url | None = None


MODELS: dict[str, type[Event]] = {DEPLOYMENT_SCHEMA: DeploymentEvent, INCIDENT_SCHEMA: IncidentEvent}


def field_names(model: type[Event]) -> list[str]:
    """The JSON field names, in declaration order."""
    return [info.alias or name for name, info in model.model_fields.items()]


def required_fields(model: type[Event]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items() if info.is_required()]


def cross_checks(event: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) for the rules between fields, given an event whose fields each passed."""
    problems = []
    if event.get("schema") == DEPLOYMENT_SCHEMA:
        if event.get("finished_at") is None and event.get("status") != "in_progress":
            problems.append(
                (
                    "finished_at",
                    f"got nothing, expected a time when status is {event.get('status')!r} "
                    "(only in_progress may leave it out)",
                )
            )
        end = "finished_at"
    else:
        end = "resolved_at"
    started, ended = event.get("started_at"), event.get(end)
    if isinstance(started, str) and isinstance(ended, str):
        start_at, end_at = parse_time(started), parse_time(ended)
        if start_at and end_at and end_at < start_at:
            problems.append((end, f"got {ended!r}, expected a time at or after started_at ({started})"))
    return problems
