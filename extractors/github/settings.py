"""A GitHub source's config: an organisation's repositories or single repositories, and optionally which streams."""

from __future__ import annotations

import difflib
import fnmatch
from typing import Literal

from pydantic import Field, field_validator, model_validator

from extractors.core.settings import HttpSourceSettings, RepoName, Scope, Text
from extractors.github.streams import ALL_STREAMS


class GithubScope(Scope):
    org: Text | None = None
    repo: RepoName | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> GithubScope:
        if (self.org is None) == (self.repo is None):
            raise ValueError("expected exactly one of org or repo")
        return self

    @property
    def key(self) -> str:
        return self.repo or self.org or ""


class GithubSettings(HttpSourceSettings):
    kind: Literal["github"]
    scopes: tuple[GithubScope, ...] = Field(min_length=1)
    streams: tuple[str, ...] | None = Field(None, min_length=1)  # default: every stream

    def may_hold(self, repository_glob: str) -> bool:
        """A repository scope holds the repositories the glob matches; an org scope those of an owner it matches."""
        glob = repository_glob.lower()
        owner_glob = glob.split("/", 1)[0]
        return any(
            fnmatch.fnmatchcase(scope.repo.lower(), glob)
            if scope.repo
            else fnmatch.fnmatchcase(scope.org.lower(), owner_glob)
            for scope in self.scopes
        )

    @field_validator("streams")
    @classmethod
    def _known_streams(cls, streams: tuple[str, ...] | None) -> tuple[str, ...] | None:
        declared = {stream.name: stream for stream in ALL_STREAMS}
        for name in streams or ():
            if name not in declared:
                close = difflib.get_close_matches(name, declared, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ValueError(f"got {name!r}, expected one of {', '.join(declared)}{hint}")
            parent = declared[name].parent
            if parent and parent not in streams:
                raise ValueError(f"{name!r} is read for each of its parent's records: add {parent!r} as well")
            beside = declared[name].only_beside
            if beside and beside not in streams:
                raise ValueError(f"{name!r} is read only for repositories with {beside}: add {beside!r} as well")
        return streams
