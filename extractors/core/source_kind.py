"""A source kind: everything the pipeline needs to know about one kind of source, declared once.

A source package (extractors/<kind>/) defines one `SOURCE_KIND = SourceKind(...)` in its `__init__`; the
registry finds it, and from that one declaration the config accepts the kind, the loader creates its raw
tables, the DAG factory builds its extract DAG and the CLI offers it. The core never names a kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from extractors.core.credentials import Credentials
from extractors.core.settings import SourceSettings
from extractors.core.streams import RunContext


@dataclass(frozen=True)
class Stream:
    """One stream as data, in the manner of dlt's resources: the source's code reads these fields, and
    `incremental` names one of the reading modes its module documents (`full` = the whole list each run)."""

    name: str
    path: str = ""
    primary_key: str = "id"
    incremental: str = "full"
    time_field: str | None = None  # the record's time that the run's window applies to
    params: dict[str, str] = field(default_factory=dict)
    items_key: str | None = None  # where the list is in an object body; None: the body is the list
    updated_field: str | None = None  # the record's last-changed time: only changed parents' children are read
    parent: str | None = None  # read once per changed record of this stream landed in the same run
    parent_key: str | None = None  # the parent's field that fills the path's {parent} placeholder
    id_scoped_to_parent: bool = False  # the same record appears under several parents: id = parent:primary key
    # how long after its creation a record may still change (a workflow run until it completes): a stream read
    # by creation time lists this much before the cursor again, to see it change; children still follow
    # only the records changed since the cursor (minus lookback)
    open_for: dt.timedelta = dt.timedelta(0)
    # read only when this (earlier) stream listed a record for the scope in the same run: a repository's tags
    # matter only beside its releases, so a repository without releases costs no request for them
    only_beside: str | None = None


# plan(settings, ctx, credentials) -> the scopes one extract task each handles (may land site-wide lists)
Plan = Callable[[Any, RunContext, Credentials], list[str]]
# extract(settings, ctx, scope, credentials) -> (records landed per stream, HTTP requests made)
Extract = Callable[[Any, RunContext, str, Credentials], tuple[dict[str, int], int]]
# config_rows(settings of every source of this kind) -> rows per raw.config__* table this kind declares
ConfigRows = Callable[[Sequence[Any]], dict[str, list[tuple[Any, ...]]]]


@dataclass(frozen=True)
class SourceKind:
    name: str
    settings: type[SourceSettings]  # its config model, chosen by `kind:`
    streams: tuple[Stream, ...]  # one raw.<kind>__<stream> table each
    plan: Plan
    extract: Extract
    schedule: str  # cron of its extract DAG (UTC data intervals)
    description: str = ""
    config_tables: dict[str, str] = field(default_factory=dict)  # raw.config__* name -> column list
    config_rows: ConfigRows | None = None
    # deployment rule `via` (or `via.field`: when the rule sets that field) -> the streams it reads: a rule is
    # useless where a source leaves them out
    deployment_streams: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # the streams that give each commit's changed files, which services' `paths` are matched against
    commit_file_streams: tuple[str, ...] = ()

    @property
    def stream_names(self) -> list[str]:
        return [stream.name for stream in self.streams]
