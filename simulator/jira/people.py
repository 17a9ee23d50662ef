"""Jira users for the org's people, loaded once per server (people never change while it runs)."""

import sqlite3

from simulator.jira.ids import account_id, hides_email
from simulator.timeutil import WEEK, parse_iso

# The generator's fixed UTC offsets (minutes) -> a zone a person there would pick in their profile.
ZONES = {-480: "America/Los_Angeles", -420: "America/Denver", -300: "America/New_York", -240: "America/Halifax",
         0: "Europe/London", 60: "Europe/Berlin", 120: "Europe/Athens", 330: "Asia/Kolkata", 540: "Asia/Tokyo",
         600: "Australia/Brisbane"}  # fmt: skip


class Site:
    """What every Jira request needs besides the work item rows: users, projects and the window."""

    def __init__(self, conn: sqlite3.Connection):
        self.people = {r[0]: r for r in conn.execute("SELECT id, name, email, tz_offset FROM people")}
        self.by_account = {account_id(pid): pid for pid in self.people}
        self.projects = conn.execute("SELECT key, id, name, team_key FROM work_projects ORDER BY id").fetchall()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        self.window_start = parse_iso(meta["window_start"])
        self.now = parse_iso(meta.get("observed_until", meta["window_end"]))

    def sprint_bounds(self, number: int) -> tuple[int, int]:
        start = self.window_start + (number - 1) * 2 * WEEK
        return start, start + 2 * WEEK


def user(base: str, site: Site, pid: int | None) -> dict | None:
    if pid is None:
        return None
    _, name, email, offset = site.people[pid]
    acc = account_id(pid)
    out = {"self": f"{base}/rest/api/3/user?accountId={acc}", "accountId": acc, "accountType": "atlassian"}
    if not hides_email(pid):
        out["emailAddress"] = email
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    out["avatarUrls"] = {
        f"{n}x{n}": f"https://avatar-management.example/initials/{initials}-{n}.png?size={n}" for n in (48, 24, 16, 32)
    }
    out.update({"displayName": name, "active": True, "timeZone": ZONES.get(offset, "Etc/UTC")})
    return out
