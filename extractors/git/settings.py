"""A local git source's config: repositories on the worker's disk, each with the owner/name it is known by."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from extractors.core.settings import RepoName, SourceSettings, StrictModel, Text


class GitScope(StrictModel):
    path: Text  # a clone or bare repository on the worker
    repository: RepoName
    refs: tuple[Text, ...] = Field(("HEAD",), min_length=1)

    @property
    def key(self) -> str:
        return self.repository


class GitSettings(SourceSettings):
    kind: Literal["git"]
    scopes: tuple[GitScope, ...] = Field(min_length=1)
