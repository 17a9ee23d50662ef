"""People lookups the API needs on every request, loaded once per server (a few thousand rows)."""

import sqlite3


class Directory:
    def __init__(self, conn: sqlite3.Connection):
        self.by_id: dict[int, tuple[str, int]] = {}
        self.by_email: dict[str, tuple[str, int]] = {}
        for pid, login, email in conn.execute("SELECT id, login, email FROM people"):
            self.by_id[pid] = (login, pid)
            self.by_email[email.lower()] = (login, pid)
            # GitHub links the noreply alias to the account as well.
            self.by_email[f"{pid}+{login}@users.noreply.github.com"] = (login, pid)
        self.org = conn.execute("SELECT value FROM meta WHERE key = 'org'").fetchone()[0]
