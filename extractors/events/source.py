"""Land an events source's drop folder: each valid line as a record of `deployments` or `incidents`,
each invalid line quarantined with its reasons, and one `files` record per file landed.

A file is landed once: the cursor of the `files` stream lists the sha256 of every file already landed,
and it moves only when the loader has committed the files' records. A file whose bytes change (one
dropped by hand and edited) is a new file. Records are not deduplicated here: an event id landed again
(in_progress, then success) is a new version, and staging keeps the latest (docs/EVENTS.md).
"""

from __future__ import annotations

from pathlib import Path

from extractors.core.source_kind import Stream
from extractors.core.streams import RunContext
from extractors.events import drop_folder, lines
from extractors.events.models import DEPLOYMENT_SCHEMA, INCIDENT_SCHEMA
from extractors.events.settings import SCOPE, EventsSettings

DEPLOYMENTS = Stream("deployments", primary_key="id", incremental="files")
INCIDENTS = Stream("incidents", primary_key="id", incremental="files")
FILES = Stream("files", primary_key="sha256", incremental="files")
STREAM_OF = {DEPLOYMENT_SCHEMA: DEPLOYMENTS.name, INCIDENT_SCHEMA: INCIDENTS.name}
FORMAT_VERSION = 1  # bump when the checks change, so every file of the folder is landed again under them


def landed_digests(ctx: RunContext) -> set[str]:
    cursor = ctx.cursors.get(ctx.source, FILES.name, SCOPE)
    if not isinstance(cursor, dict) or cursor.get("format") != FORMAT_VERSION:
        return set()
    return set(cursor.get("files", []))


def extract_drop_folder(ctx: RunContext, settings: EventsSettings) -> dict[str, int]:
    done = landed_digests(ctx)
    new = []
    for path in drop_folder.event_files(settings.folder):
        data = drop_folder.read(path)
        sha = drop_folder.digest(data)
        if sha not in done and sha not in {s for _, s, _ in new}:
            new.append((path, sha, data))
    counts = {DEPLOYMENTS.name: 0, INCIDENTS.name: 0, FILES.name: 0}
    if not new:
        return counts
    checked = [(path, sha, lines.check_file(str(path), data)) for path, sha, data in new]
    writers = {name: ctx.writer(name, SCOPE) for name in (DEPLOYMENTS.name, INCIDENTS.name, FILES.name)}
    try:
        summaries = _write_events(writers, checked)
        for name in (DEPLOYMENTS.name, INCIDENTS.name):
            writers[name].commit()
            counts[name] = writers[name].records
        files = writers[FILES.name]
        for summary in summaries:
            files.write(summary["sha256"], summary)
        # written last: the cursor moves only once the events' files before it are loaded
        files.commit(cursor={"format": FORMAT_VERSION, "files": sorted(done | {sha for _, sha, _ in new})})
        counts[FILES.name] = files.records
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    return counts


def _write_events(writers: dict, checked: list[tuple[Path, str, list[lines.CheckedLine]]]) -> list[dict]:
    """Write every line of every new file in order; a line whose type is unknown is quarantined under
    `files`, the stream of the file it came from. Returns one summary per file."""
    summaries = []
    sequence = 0
    for path, sha, file_lines in checked:
        summary = {"file": str(path), "sha256": sha, "lines": len(file_lines), DEPLOYMENTS.name: 0,
                   INCIDENTS.name: 0, "quarantined": 0}  # fmt: skip
        for line in file_lines:
            stream = STREAM_OF.get(line.schema or "", FILES.name)
            if line.event is None:
                writers[stream].quarantine("; ".join(line.problems), line.raw)
                summary["quarantined"] += 1
                continue
            sequence += 1  # file and line order within the run: breaks a tie between equal extracted_at
            payload = {"event": line.event, "file": str(path), "line": line.line, "file_sha256": sha,
                       "sequence": sequence}  # fmt: skip
            writers[stream].write(line.event["id"], payload)
            summary[stream] += 1
        summaries.append(summary)
    return summaries
