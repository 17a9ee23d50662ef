"""Landing files: gzip NDJSON written to a temp name, fsynced, then renamed into place.

Layout: <landing>/<source>/<stream>/<scope>/<run_id>.jsonl.gz plus <run_id>.manifest.json, which is
written last and marks the data file complete. Each (source, stream, scope, run) writes its own file, so
parallel extract tasks never touch the same path, and a killed task leaves only a temp file behind
(`.tmp-*` beside the data, removed by `remove_stale_temp_files` once it is older than any live write).
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.core.files import write_json_atomic
from extractors.core.processes import owner_is_dead, owner_tag

log = logging.getLogger(__name__)

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# What the loader needs from a manifest; a manifest without one of these (as a string) cannot be loaded.
MANIFEST_KEYS = ("source", "kind", "stream", "scope", "run_id", "data_file", "written_at")
# A temp file untouched this long belongs to a writer that died (writers touch theirs as they write).
STALE_TEMP_SECONDS = 3600.0


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
        fd, self._tmp = tempfile.mkstemp(dir=self.directory, prefix=f".tmp-{owner_tag()}@", suffix=".jsonl.gz")
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


@dataclass(frozen=True)
class LandingManifest:
    """One `*.manifest.json`: its content, or why it cannot be read (then `manifest` is None)."""

    path: Path
    manifest: dict[str, Any] | None
    error: str | None = None


def read_manifests(landing_dir: Path) -> list[LandingManifest]:
    """Every manifest, oldest first by `written_at` (cursor order); unreadable ones first, never raising."""
    entries = [_read_manifest(path) for path in landing_dir.glob("*/*/*/*.manifest.json")]
    return sorted(entries, key=lambda e: (e.manifest["written_at"] if e.manifest else "", str(e.path)))


def pending_manifests(landing_dir: Path) -> list[Path]:
    """Every complete landing file's manifest, oldest first (cursor order)."""
    return [entry.path for entry in read_manifests(landing_dir)]


def _read_manifest(path: Path) -> LandingManifest:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # ValueError: half-written JSON, or bytes that are not UTF-8
        return LandingManifest(path, None, f"unreadable manifest: {type(exc).__name__}: {exc}")
    if not isinstance(manifest, dict):
        return LandingManifest(path, None, f"manifest is a JSON {type(manifest).__name__}, not an object")
    missing = [key for key in MANIFEST_KEYS if not isinstance(manifest.get(key), str) or not manifest[key]]
    if missing:
        return LandingManifest(path, None, f"manifest lacks {', '.join(missing)}")
    data_file = manifest["data_file"]
    if Path(data_file).name != data_file or data_file in (".", "..") or not data_file.endswith(".jsonl.gz"):
        return LandingManifest(path, None, f"manifest names data_file {data_file!r}, not a file beside it")
    return LandingManifest(path, manifest)


def remove_stale_temp_files(landing_dir: Path, older_than: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Remove `.tmp-<pid>@<host>@*` files that killed writers left in landing scope folders: at once when that
    process no longer runs on this host, else once untouched `older_than` s (a writer on another host, or an
    older name without its owner). A live extract's temp file is kept."""
    removed = []
    cutoff = time.time() - older_than
    for path in landing_dir.glob("*/*/*/.tmp-*"):
        owner = path.name.removeprefix(".tmp-").rpartition("@")[0]
        try:
            if path.is_file() and (owner_is_dead(owner) or path.stat().st_mtime < cutoff):
                path.unlink()
                removed.append(path)
        except FileNotFoundError:  # its writer finished or another cleaner got there first
            continue
    for path in removed:
        log.info("removed stale landing temp file %s", path)
    return removed
