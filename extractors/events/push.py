"""`delivery events push`: check a file of events whole, then copy it into an events source's drop folder.

Nothing is copied unless every line is valid, so a tool that pushes learns at once what to fix (each
problem names the file, line and field) instead of finding its events in the quarantine later.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.core.config import Config
from extractors.core.errors import ConfigError
from extractors.events import drop_folder, lines
from extractors.events.models import DEPLOYMENT_SCHEMA, INCIDENT_SCHEMA
from extractors.events.settings import EventsSettings

SCHEMA_OF_KIND = {"deployment": DEPLOYMENT_SCHEMA, "incident": INCIDENT_SCHEMA}


@dataclass(frozen=True)
class PushResult:
    problems: list[str]  # every problem of the file; when any, nothing was copied
    target: Path | None = None
    events: int = 0
    copied: bool = False  # False with no problems: the same file was pushed before


def push_file(settings: EventsSettings, kind: str, path: Path) -> PushResult:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return PushResult([f"{path}: cannot be read: {exc.strerror or exc}"])
    checked = lines.check_file(str(path), data, only_schema=SCHEMA_OF_KIND[kind])
    problems = [problem for line in checked for problem in line.problems]
    if not checked:
        problems = [f"{path}: no events, expected one {SCHEMA_OF_KIND[kind]} JSON object per line"]
    if problems:
        return PushResult(problems)
    name = drop_folder.pushed_name(kind, data)
    copied = drop_folder.write_once(settings.folder, name, data)
    return PushResult([], settings.folder / name, len(checked), copied)


def events_source(config: Config, name: str | None) -> EventsSettings:
    """The named events source, or the config's only one."""
    if name is not None:
        source = config.source(name)
        if not isinstance(source, EventsSettings):
            raise ConfigError(f"sources: {name!r} is a {source.kind} source, expected one of kind events")
        return source
    found = [source for source in config.sources if isinstance(source, EventsSettings)]
    if len(found) != 1:
        names = ", ".join(source.name for source in found) or "none"
        raise ConfigError(f"sources: expected exactly one source of kind events or --source NAME (found: {names})")
    return found[0]
