"""Deployments and incidents pushed as JSON Lines files by tools the warehouse has no extractor for
(Argo CD, Spinnaker, a deploy script): `delivery events push`, then extracted from the drop folder."""

from extractors.core.source_kind import SourceKind
from extractors.events import command, runner
from extractors.events.settings import EventsSettings
from extractors.events.source import DEPLOYMENTS, FILES, INCIDENTS

SOURCE_KIND = SourceKind(
    name="events",
    settings=EventsSettings,
    streams=(DEPLOYMENTS, INCIDENTS, FILES),
    plan=runner.plan,
    extract=runner.extract,
    schedule="10 4 * * *",
    description="Deployment and incident events pushed as JSON Lines files (delivery events push) into a drop folder",
)
COMMANDS = (command.add_commands,)  # the CLI's `delivery events ...`, found by extractors.core.registry
