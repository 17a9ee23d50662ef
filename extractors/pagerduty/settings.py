"""A PagerDuty source's config: one account (a REST API key reaches exactly one)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from extractors.core.settings import HttpSourceSettings, StrictModel, Text


class PagerDutyScope(StrictModel):
    account: Text  # a label for the account

    @property
    def key(self) -> str:
        return self.account


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
