"""A business source's config: CSV files (or folders of them) grouped in scopes, one currency.

Each scope lists the measures its files may hold; two scopes of one source may not share a measure, so a
month/team/measure has one place it can come from and a duplicate is always found in one scope's run.
"""

from __future__ import annotations

import re
from typing import ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from extractors.business.measures import MEASURE_NAMES
from extractors.core.settings import Name, Scope, SourceSettings, Text

_CURRENCY = re.compile(r"^[A-Z]{3}$")


class BusinessScope(Scope):
    key_field: ClassVar[str] = "name"
    name: Name  # e.g. finance, customer
    paths: tuple[Text, ...] = Field(min_length=1)  # CSV files, or folders whose *.csv files are read
    measures: tuple[Text, ...] = Field(MEASURE_NAMES, min_length=1)

    @field_validator("measures")
    @classmethod
    def _known_measures(cls, measures: tuple[str, ...]) -> tuple[str, ...]:
        for measure in measures:
            if measure not in MEASURE_NAMES:
                raise ValueError(f"got {measure!r}, expected measures from {', '.join(MEASURE_NAMES)}")
        return measures


class BusinessSettings(SourceSettings):
    kind: Literal["business"]
    currency: Text  # ISO 4217 code every money value is in, e.g. EUR
    scopes: tuple[BusinessScope, ...] = Field(min_length=1)

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, currency: str) -> str:
        if not _CURRENCY.match(currency):
            raise ValueError(f"got {currency!r}, expected a three-letter currency code like EUR")
        return currency

    @model_validator(mode="after")
    def _one_scope_per_measure(self) -> BusinessSettings:
        owner: dict[str, str] = {}
        for scope in self.scopes:
            for measure in scope.measures:
                first = owner.setdefault(measure, scope.name)
                if first != scope.name:
                    raise ValueError(
                        f"measure {measure!r} is in scopes {first!r} and {scope.name!r}; expected each measure in "
                        "one scope (list `measures:` per scope)"
                    )
        return self
