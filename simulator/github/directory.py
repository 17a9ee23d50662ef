"""People lookups the API needs on every request, loaded once per server (a few thousand rows)."""

import sqlite3


class Directory:
    def __init__(self, conn: sqlite3.Connection):
        self.by_id: dict[int, tuple] = {}  # (login, id[, kind])
        self.by_email: dict[str, tuple] = {}
        for pid, login, email in conn.execute("SELECT id, login, email FROM people"):
            self.by_id[pid] = (login, pid)
            self.by_email[email.lower()] = (login, pid)
            # GitHub links the noreply alias to the account as well.
            self.by_email[f"{pid}+{login}@users.noreply.github.com"] = (login, pid)
        for bid, login, email in conn.execute("SELECT id, login, email FROM bots"):  # coding agents' apps
            self.by_id[bid] = self.by_email[email.lower()] = (login, bid, "Bot")
        self.org = conn.execute("SELECT value FROM meta WHERE key = 'org'").fetchone()[0]
