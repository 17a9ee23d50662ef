"""Small file helpers shared by the landing writer and the cursor store."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from extractors.core.processes import owner_tag


def write_json_atomic(path: Path, value: Any) -> None:
    """Write `value` as JSON to `path` so readers see the old file or the new one, never a partial one.

    The JSON goes to a `.tmp-` file in the same directory, is fsynced, then renamed over `path`; if writing
    fails, the temp file is removed and `path` is untouched.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".tmp-{owner_tag()}@", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(value, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
