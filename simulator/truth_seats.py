"""The true AI tool seats (METRICS.md "AI tool seats"): who held a Copilot seat from when until when.

One entity per grant, as known at the org's cutoff: `valid_to` is the pending cancellation date once the
cancellation happened (null while the seat is held), and `listed_by_api` says whether GitHub still lists it
then (a cancelled seat disappears from the seats API on its pending cancellation date; only a warehouse that
extracted before that, or the config's `ai_tools`, can know it).
"""

import sqlite3

from simulator.copilot import org_grants
from simulator.timeutil import parse_iso, utc_date


def entities(conn: sqlite3.Connection) -> dict[str, dict]:
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    observed = parse_iso(meta["observed_until"])
    out = {}
    for grant in org_grants(meta["profile"], int(meta["seed"])):
        seen = grant.seen_at(observed)
        if seen is None:
            continue
        pending, listed = seen
        valid_from = utc_date(grant.granted_at).isoformat()
        out[f"{grant.person.key}:{valid_from}"] = {
            "person_id": grant.person.key,
            "team_key": grant.team_key,
            "tool": "copilot",
            "valid_from": valid_from,
            "valid_to": pending.isoformat() if pending else None,
            "listed_by_api": listed,
        }
    return out
