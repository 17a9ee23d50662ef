"""The drop folder: pushed files arrive whole under a name made of their content, so a reader never sees
half a file and pushing the same file twice is a no-op.

A push writes a hidden temp file (`.push-*`) in the folder, fsyncs it and renames it to
`<kind>-<sha256>.jsonl`; the extract reads every file whose name does not start with a dot, pushed or
dropped by hand, oldest first (modification time, then name): the order in which later events replace
earlier ones with the same id.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.core.errors import ExtractError
from extractors.core.files import write_bytes_atomic


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pushed_name(kind: str, data: bytes) -> str:
    return f"{kind}-{digest(data)}.jsonl"


def write_once(folder: Path, name: str, data: bytes) -> bool:
    """Put `data` at folder/name by atomic rename; False (nothing written) when that file is already there."""
    target = folder / name
    if target.is_file():
        return False
    folder.mkdir(parents=True, exist_ok=True)
    # readable by all: mkstemp's 0600 would hide it from a worker running as another user
    write_bytes_atomic(target, data, prefix=".push-", mode=0o644)
    return True


def event_files(folder: Path) -> list[Path]:
    """The folder's event files in landing order; hidden files (a push in progress) are not read."""
    if not folder.is_dir():
        raise ExtractError(f"{folder}: drop folder does not exist; create it or fix the source's drop_folder")
    files = [path for path in folder.iterdir() if path.is_file() and not path.name.startswith(".")]
    return sorted(files, key=lambda path: (path.stat().st_mtime_ns, path.name))


def read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExtractError(f"{path}: cannot be read: {exc.strerror or exc}") from None
