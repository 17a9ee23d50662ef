"""Switchable faults: each fires `times` times on matching requests, then clears itself."""

import re
import threading

KINDS = {"rate_limit", "server_error", "reset", "slow", "truncated"}


class FaultBook:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[dict] = []

    def set(self, faults: list[dict]) -> None:
        checked = []
        for f in faults:
            if f.get("kind") not in KINDS:
                raise ValueError(f"unknown fault kind {f.get('kind')!r}; known: {sorted(KINDS)}")
            checked.append({**f, "times": int(f.get("times", 1))})
        with self._lock:
            self._faults = checked

    def take(self, path: str) -> dict | None:
        """The first fault matching `path` (path plus query string), consuming one of its shots."""
        with self._lock:
            for f in self._faults:
                if f["times"] > 0 and re.search(f.get("path_regex") or "", path):
                    f["times"] -= 1
                    if f["times"] == 0:
                        self._faults.remove(f)
                    return dict(f)
        return None

    def pending(self) -> list[dict]:
        with self._lock:
            return [dict(f) for f in self._faults]
