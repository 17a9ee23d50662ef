"""A source's secret as the extractors receive it: a token, and for Jira Cloud the account email.

The repr never shows the token, so a credentials object in a traceback or log line leaks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Credentials:
    token: str | None
    user: str | None = None

    def __repr__(self) -> str:
        return f"Credentials(user={self.user!r}, token={'***' if self.token else None})"
