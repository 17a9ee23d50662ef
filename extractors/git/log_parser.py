"""Parse `git log` output streamed in chunks; never holds more than one commit in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

RECORD = "\x1e"
FIELD = "\x1f"
TRAILER = "\x1d"
# One field per placeholder, in this order; the numstat lines follow the last separator.
FIELDS = (
    "sha",
    "parents",
    "author_name",
    "author_email",
    "author_date",
    "committer_name",
    "committer_email",
    "committer_date",
    "trailers",
    "message",
)
LOG_FORMAT = (
    RECORD
    + FIELD.join(("%H", "%P", "%an", "%ae", "%aI", "%cn", "%ce", "%cI", "%(trailers:unfold,separator=%x1d)", "%B"))
    + FIELD
)


def split_records(chunks: Iterable[str]) -> Iterator[str]:
    buffer = ""
    for chunk in chunks:
        buffer += chunk
        *complete, buffer = buffer.split(RECORD)
        for record in complete:
            if record.strip():
                yield record
    if buffer.strip():
        yield buffer


def parse_record(record: str, repository: str) -> dict[str, Any]:
    parts = record.split(FIELD)
    if len(parts) != len(FIELDS) + 1:
        raise ValueError(f"expected {len(FIELDS) + 1} fields, got {len(parts)}")
    values = dict(zip(FIELDS, parts[: len(FIELDS)], strict=True))
    files = [_numstat(line) for line in parts[-1].splitlines() if line.strip()]
    return {
        "sha": values["sha"],
        "parents": values["parents"].split(),
        "repository": repository,
        "author": {"name": values["author_name"], "email": values["author_email"], "date": values["author_date"]},
        "committer": {
            "name": values["committer_name"],
            "email": values["committer_email"],
            "date": values["committer_date"],
        },
        "message": values["message"].rstrip("\n"),
        "trailers": [_trailer(t) for t in values["trailers"].split(TRAILER) if t.strip()],
        "files": files,
        "additions": sum(f["additions"] or 0 for f in files),
        "deletions": sum(f["deletions"] or 0 for f in files),
    }


def _numstat(line: str) -> dict[str, Any]:
    added, deleted, path = line.split("\t", 2)
    return {
        "path": path,
        "additions": None if added == "-" else int(added),
        "deletions": None if deleted == "-" else int(deleted),
    }


def _trailer(text: str) -> dict[str, str]:
    key, _, value = text.partition(":")
    return {"key": key.strip(), "value": value.strip()}
