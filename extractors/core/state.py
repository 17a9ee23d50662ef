"""Incremental cursors, one small JSON file per source/stream/scope, replaced atomically.

The loader writes a cursor only after the data that justified it is committed in DuckDB (it also keeps
the cursor in raw._cursors in the same transaction, and re-mirrors it here on every load), so a crash at
any point leaves the cursor behind, never ahead: the next run re-reads an overlap that the loader dedupes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractors.core.files import write_json_atomic
from extractors.core.landing import scope_slug


class CursorStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, source: str, stream: str, scope: str) -> Path:
        return self.root / source / stream / f"{scope_slug(scope)}.json"

    def get(self, source: str, stream: str, scope: str) -> Any:
        path = self.path(source, stream, scope)
        if not path.exists():
            return None
        return json.loads(path.read_text(encoding="utf-8"))["cursor"]

    def set(self, source: str, stream: str, scope: str, cursor: Any) -> None:
        path = self.path(source, stream, scope)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_json_atomic(path, {"source": source, "stream": stream, "scope": scope, "cursor": cursor})
