"""A Jira source's config: projects, the optional Basic-auth user, custom field names and issue type mapping."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator

from extractors.core.settings import BasicAuthSettings, ProjectKey, Scope, Text
from extractors.jira.fields import DEFAULT_FIELD_NAMES
from extractors.jira.issue_types import CanonicalType


class JiraScope(Scope):
    key_field: ClassVar[str] = "project"
    project: ProjectKey


class JiraSettings(BasicAuthSettings):
    kind: Literal["jira"]
    scopes: tuple[JiraScope, ...] = Field(min_length=1)
    fields: dict[str, Text] = {}  # role (story_points, sprint) -> field name or id on this site
    issue_types: dict[Text, CanonicalType] = {}  # issue type name -> canonical work item type

    @field_validator("fields", mode="before")
    @classmethod
    def _known_roles(cls, fields: Any) -> Any:
        for role in fields if isinstance(fields, dict) else ():
            if role not in DEFAULT_FIELD_NAMES:
                raise ValueError(f"unknown key {role!r}, expected one of {', '.join(DEFAULT_FIELD_NAMES)}")
        return fields
