"""Truth of AI assistance per pull request and per commit (METRICS.md "AI assistance").

From the generator's own record of what it emitted (pulls.ai_signals, commits.assisted, bots), never
from parsing the API's text: the pipeline finds the same answer by reading titles, refs and trailers.
"""

import json
import sqlite3

# A PR's signals as the warehouse names them, in the order `ai_signals` lists them (alphabetical).
SIGNALS = ("agent_author", "body_marker", "branch_prefix", "coauthor_trailer", "label")


def assistance(signals: set[str]) -> str:
    """The precedence rule: an agent author wins; any other signal is `assisted`; none is `none`."""
    if "agent_author" in signals:
        return "agent_authored"
    return "assisted" if signals else "none"


def pull_requests(conn: sqlite3.Connection) -> dict[str, dict]:
    """`owner/name#number` -> ai_assistance, ai_signals and the team the PR is credited to."""
    trailer_prs = {(rid, number) for rid, number in conn.execute(
        """SELECT DISTINCT pc.repo_id, pc.number FROM pull_commits pc
           JOIN commits c ON c.repo_id = pc.repo_id AND c.sha = pc.sha WHERE c.assisted = 1""")}  # fmt: skip
    team_of = dict(conn.execute("SELECT id, team_key FROM people"))
    out = {}
    rows = conn.execute(
        """SELECT r.full_name, r.team_key, p.repo_id, p.number, p.author_id, p.assignees, p.ai_signals
           FROM pulls p JOIN repos r ON r.id = p.repo_id ORDER BY r.full_name, p.number"""
    )
    for full_name, repo_team, rid, number, author_id, assignees, emitted in rows:
        signals = set(json.loads(emitted))
        if (rid, number) in trailer_prs:
            signals.add("coauthor_trailer")
        out[f"{full_name}#{number}"] = {
            "ai_assistance": assistance(signals),
            "ai_signals": ",".join(s for s in SIGNALS if s in signals),
            "credited_team_key": _credited_team(author_id, json.loads(assignees), signals, team_of, repo_team),
        }
    return out


def _credited_team(author_id: int, assignees: list[int], signals: set[str], team_of: dict, repo_team: str) -> str:
    """The author's team; an agent's PR: its first assignee's; else the repository's (no team moves here)."""
    if author_id in team_of:
        return team_of[author_id]
    if "agent_author" in signals:
        for pid in assignees:
            if pid in team_of:
                return team_of[pid]
    return repo_team


def commits(conn: sqlite3.Connection) -> dict[str, str]:
    """`owner/name@sha` -> ai_assistance of the default branch's commits that have some (others: `none`)."""
    rows = conn.execute(
        """SELECT r.full_name, c.sha, b.id IS NOT NULL, c.assisted FROM commits c
           JOIN repos r ON r.id = c.repo_id LEFT JOIN bots b ON b.id = c.author_id
           WHERE c.on_main = 1 AND (b.id IS NOT NULL OR c.assisted = 1) ORDER BY r.full_name, c.sha"""
    )
    return {f"{name}@{sha}": "agent_authored" if by_agent else "assisted" for name, sha, by_agent, _ in rows}
