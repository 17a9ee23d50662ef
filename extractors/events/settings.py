"""An events source's config: the folder that pushed event files are dropped into.

`- {name: deploy_events, kind: events, drop_folder: /srv/delivery/events}`. A relative drop_folder is read
relative to the working directory, as business `paths` and git `path` are; Airflow workers and the
machines that push should see the same absolute path (a shared mount).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import field_validator

from extractors.core.settings import SourceSettings, Text

SCOPE = "drop_folder"  # the one scope: every file of the folder, landed by one extract task


class EventsSettings(SourceSettings):
    kind: Literal["events"]
    drop_folder: Text
    scopes: tuple[Any, ...] = ()  # none to configure: the drop folder is the scope

    @field_validator("scopes", mode="before")  # before the base class reads each scope's key
    @classmethod
    def _no_scopes(cls, scopes: Any) -> Any:
        if scopes:
            raise ValueError("expected no scopes: an events source reads every file of its drop_folder")
        return scopes

    @property
    def folder(self) -> Path:
        return Path(self.drop_folder).expanduser()
