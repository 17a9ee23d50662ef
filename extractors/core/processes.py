"""Child processes die with the process that started them.

`dbt build` runs as a child of the CLI or the Airflow task; if that parent is killed (SIGKILL, an OOM kill,
Airflow timing the task out), an orphaned dbt would go on holding the DuckDB write lock and the re-run
would fail with `Could not set lock`. On Linux the kernel can send the child a signal when its parent
dies (prctl PR_SET_PDEATHSIG); elsewhere this is a no-op and subprocess.run's own cleanup on exceptions
(KeyboardInterrupt, SIGTERM handled by Airflow) is what remains.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import socket
import sys
from pathlib import Path

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """A `preexec_fn`: runs in the child between fork and exec."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def process_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, run by another user
        return True
    return True


def process_command(pid: int) -> str | None:
    """The command line of a process on this host, when readable (Linux /proc), for messages."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:200] or None


def owner_tag() -> str:
    """`<pid>@<host>`: written into temp file names so a later run can tell a dead writer's leftovers."""
    return f"{os.getpid()}@{socket.gethostname()}"


def owner_is_dead(tag: str) -> bool:
    """True only when the tag names a process on this host that no longer runs (another host: unknown)."""
    pid, _, host = tag.partition("@")
    return pid.isdigit() and host == socket.gethostname() and not process_alive(int(pid))
