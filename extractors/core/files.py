"""Small file helpers shared by the landing writer and the cursor store."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from extractors.core.processes import owner_tag


def write_json_atomic(path: Path, value: Any) -> None:
    """Write `value` as JSON to `path` so readers see the old file or the new one, never a partial one."""
    write_bytes_atomic(path, json.dumps(value).encode("utf-8"), prefix=f".tmp-{owner_tag()}@")


def write_bytes_atomic(path: Path, data: bytes, prefix: str, mode: int | None = None) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never a partial one.

    The bytes go to a hidden `prefix` temp file in the same directory, are fsynced, then renamed over `path`;
    if writing fails, the temp file is removed and `path` is untouched. `mode`: the file's permissions
    (else mkstemp's 0600).
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=path.suffix)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
