"""Landing files: gzip NDJSON written to a temp name, fsynced, then renamed into place.

Layout: <landing>/<source>/<stream>/<scope>/<run_id>.jsonl.gz plus <run_id>.manifest.json, which is
written last and marks the data file complete. Each (source, stream, scope, run) writes its own file, so
parallel extract tasks never touch the same path, and a killed task leaves only a temp file behind.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from extractors.core.files import write_json_atomic

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def scope_slug(scope: str) -> str:
    """A filesystem-safe, readable, collision-free name for a scope (acme/api -> acme__api)."""
    return _UNSAFE.sub("_", scope.replace("/", "__")) or "_"


def utc_now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


class LandingWriter:
    """Writes one stream's records for one scope and run; `commit()` publishes file and manifest."""

    def __init__(self, landing_dir: Path, source: str, kind: str, stream: str, scope: str, run_id: str) -> None:
        self.source, self.kind, self.stream, self.scope, self.run_id = source, kind, stream, scope, run_id
        self.directory = landing_dir / source / stream / scope_slug(scope)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.data_path = self.directory / f"{scope_slug(run_id)}.jsonl.gz"
        self.manifest_path = self.directory / f"{scope_slug(run_id)}.manifest.json"
        fd, self._tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".jsonl.gz")
        self._raw = os.fdopen(fd, "wb")
        self._gzip = gzip.GzipFile(fileobj=self._raw, mode="wb", compresslevel=5, mtime=0)
        self.records = 0
        self.quarantined = 0

    def write(self, record_id: Any, payload: Any, parent_id: Any = None) -> None:
        if record_id is None or record_id == "":
            self.quarantine("record has no primary key", json.dumps(payload, default=str))
            return
        line = {
            "record_id": str(record_id),
            "parent_id": None if parent_id is None else str(parent_id),
            "extracted_at": utc_now_iso(),
            "payload": payload,
        }
        self._gzip.write(json.dumps(line, separators=(",", ":")).encode() + b"\n")
        self.records += 1

    def quarantine(self, reason: str, raw_text: str) -> None:
        line = {"quarantine_reason": reason, "raw": raw_text, "extracted_at": utc_now_iso()}
        self._gzip.write(json.dumps(line, separators=(",", ":")).encode() + b"\n")
        self.quarantined += 1

    def commit(self, cursor: Any = None, requests: int = 0) -> Path:
        """Make the file visible: data first, manifest last, both by atomic rename."""
        self._gzip.close()
        self._raw.flush()
        os.fsync(self._raw.fileno())
        self._raw.close()
        os.replace(self._tmp, self.data_path)
        manifest = {
            "source": self.source,
            "kind": self.kind,
            "stream": self.stream,
            "scope": self.scope,
            "run_id": self.run_id,
            "records": self.records,
            "quarantined": self.quarantined,
            "requests": requests,
            "cursor": cursor,
            "data_file": self.data_path.name,
            "written_at": utc_now_iso(),
        }
        write_json_atomic(self.manifest_path, manifest)
        return self.data_path

    def abort(self) -> None:
        """Drop the partial file (a failed extraction publishes nothing)."""
        if not self._raw.closed:
            self._gzip.close()
            self._raw.close()
        if os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __enter__(self) -> LandingWriter:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None:
            self.abort()


def pending_manifests(landing_dir: Path) -> list[Path]:
    """Every complete landing file's manifest, oldest first (cursor order)."""
    manifests = list(landing_dir.glob("*/*/*/*.manifest.json"))
    return sorted(manifests, key=lambda p: (json.loads(p.read_text())["written_at"], str(p)))
