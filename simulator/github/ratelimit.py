"""Per-token core rate-limit accounting, reported in x-ratelimit-* headers.

The window rolls over instead of blocking when spent, so long load runs never stall; rate-limit
behaviour is exercised with the explicit `rate_limit` fault.
"""

import threading
import time


class RateLimiter:
    def __init__(self, limit: int = 5000, window: int = 3600):
        self.limit, self.window = limit, window
        self._lock = threading.Lock()
        self._used: dict[str, tuple[int, int]] = {}  # token -> (used, reset epoch)

    def _state(self, token: str, now: int) -> tuple[int, int]:
        used, reset = self._used.get(token, (0, now + self.window))
        if now >= reset or used >= self.limit:
            used, reset = 0, now + self.window
        return used, reset

    def spend(self, token: str, cost: int = 1) -> dict:
        with self._lock:
            now = int(time.time())
            used, reset = self._state(token, now)
            used += cost
            self._used[token] = (used, reset)
            return {"limit": self.limit, "remaining": self.limit - used, "reset": reset, "used": used}

    def peek(self, token: str) -> dict:
        with self._lock:
            used, reset = self._state(token, int(time.time()))
            self._used[token] = (used, reset)
            return {"limit": self.limit, "remaining": self.limit - used, "reset": reset, "used": used}


def headers(state: dict) -> dict[str, str]:
    return {
        "x-ratelimit-limit": str(state["limit"]),
        "x-ratelimit-remaining": str(state["remaining"]),
        "x-ratelimit-reset": str(state["reset"]),
        "x-ratelimit-used": str(state["used"]),
        "x-ratelimit-resource": "core",
    }
