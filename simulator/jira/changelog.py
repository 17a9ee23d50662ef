"""Changelog histories of an issue: its status transitions (plus the resolution they set or clear) and,
for ~5% of issues, a burst of backlog re-ranking, so some issues have more histories than a search
response carries inline and the extractor must page /issue/{key}/changelog."""

from simulator.jira.catalog import RESOLUTION_DONE, STATUSES
from simulator.jira.people import Site, user
from simulator.jira.timefmt import jira_time

INLINE_CAP = 20  # histories a search response carries inline (Jira: 100; lower here so paging is exercised)
RANK_BURST = 24


def _busy(item_id: int) -> bool:
    return (item_id * 2654435761) % 20 == 0


def _status_items(t) -> list[dict]:
    items = []
    done_id, done_name, _ = RESOLUTION_DONE
    if t["to_status"] == "Done":
        items.append({"field": "resolution", "fieldtype": "jira", "fieldId": "resolution", "from": None,
                      "fromString": None, "to": done_id, "toString": done_name})  # fmt: skip
    elif t["from_status"] == "Done":
        items.append({"field": "resolution", "fieldtype": "jira", "fieldId": "resolution", "from": done_id,
                      "fromString": done_name, "to": None, "toString": None})  # fmt: skip
    items.append({"field": "status", "fieldtype": "jira", "fieldId": "status",
                  "from": STATUSES[t["from_status"]][0], "fromString": t["from_status"],
                  "to": STATUSES[t["to_status"]][0], "toString": t["to_status"]})  # fmt: skip
    return items


def histories(base: str, site: Site, w, transitions: list) -> list[dict]:
    """All histories of work item row `w`, oldest first. `transitions`: its work_item_transitions rows
    (seq 0, the creation, is not a change)."""
    events = [(t["at"], 0, t["author_id"], _status_items(t)) for t in transitions if t["seq"] > 0]
    if _busy(w["id"]):
        span = max(0, w["updated_at"] - w["created_at"])
        rank = [{"field": "Rank", "fieldtype": "custom", "fieldId": "customfield_10019", "from": "",
                 "fromString": "", "to": "", "toString": "Ranked higher"}]  # fmt: skip
        for k in range(RANK_BURST):
            at = w["created_at"] + span * (k + 1) // (RANK_BURST + 1)
            events.append((at, 1, w["reporter_id"], rank))
    events.sort(key=lambda e: (e[0], e[1]))
    base_id = w["id"] * 100  # history ids are site-wide in Jira: unique across issues
    return [{"id": str(base_id + i), "author": user(base, site, author), "created": jira_time(at), "items": items}
            for i, (at, _, author, items) in enumerate(events)]  # fmt: skip


def inline(all_histories: list[dict]) -> dict:
    """The `changelog` a search with expand=changelog embeds: the first INLINE_CAP histories and the total."""
    shown = all_histories[:INLINE_CAP]
    return {"startAt": 0, "maxResults": len(shown), "total": len(all_histories), "histories": shown}
