"""A PagerDuty source's config: one account (a REST API key reaches exactly one)."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, field_validator

from extractors.core.settings import HttpSourceSettings, Scope, Text


class PagerDutyScope(Scope):
    key_field: ClassVar[str] = "account"
    account: Text  # a label for the account


class PagerDutySettings(HttpSourceSettings):
    kind: Literal["pagerduty"]
    scopes: tuple[PagerDutyScope, ...] = Field(min_length=1)

    @field_validator("scopes")
    @classmethod
    def _one_account(cls, scopes: tuple[PagerDutyScope, ...]) -> tuple[PagerDutyScope, ...]:
        if len(scopes) != 1:
            raise ValueError(
                f"got {len(scopes)} scopes, expected exactly one {{account: label}} "
                "(a PagerDuty token reaches one account)"
            )
        return scopes
