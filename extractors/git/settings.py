"""A local git source's config: repositories on the worker's disk, each with the owner/name it is known by."""

from __future__ import annotations

import fnmatch
from typing import ClassVar, Literal

from pydantic import Field

from extractors.core.settings import RepoName, Scope, SourceSettings, Text


class GitScope(Scope):
    key_field: ClassVar[str] = "repository"
    path: Text  # a clone or bare repository on the worker
    repository: RepoName
    refs: tuple[Text, ...] = Field(("HEAD",), min_length=1)


class GitSettings(SourceSettings):
    kind: Literal["git"]
    scopes: tuple[GitScope, ...] = Field(min_length=1)

    def may_hold(self, repository_glob: str) -> bool:
        return any(fnmatch.fnmatchcase(scope.repository.lower(), repository_glob.lower()) for scope in self.scopes)
