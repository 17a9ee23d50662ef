"""True metric values per team and week, computed with SQL over org.sqlite (see METRICS.md).

Reads the generator's own event model, never the API or git. Main positions stand in for
reachability: main only moves forward by merges, so a merge at position k is reachable from a
deployment whose sha sits at position p exactly when k <= p.

The activity, deployment and lead time columns are computed here; outcomes (truth_outcomes,
truth_incidents, truth_bands), work items (truth_work) and the PR cycle (truth_cycle) add theirs to
the same team x week grid, which runs from the first to the last week of any of their dated facts
(METRICS.md "Weeks").
"""

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from simulator import (
    truth_ai,
    truth_bands,
    truth_changes,
    truth_cycle,
    truth_incidents,
    truth_outcomes,
    truth_seats,
    truth_work,
)
from simulator.quantile import quantile_cont

WEEK_SQL = "date({col}, 'unixepoch', '-6 days', 'weekday 1')"  # Monday of the UTC week

ACTIVITY_QUERIES = {
    "commits": f"""
        SELECT p.team_key, {WEEK_SQL.format(col="c.author_at")} AS wk, count(*), sum(c.additions),
               sum(c.deletions)
        FROM commits c JOIN people p ON p.id = c.author_id
        WHERE c.on_main = 1 AND c.is_merge = 0 GROUP BY 1, 2""",
    "prs_opened": f"""
        SELECT p.team_key, {WEEK_SQL.format(col="r.created_at")}, count(*)
        FROM pulls r JOIN people p ON p.id = r.author_id GROUP BY 1, 2""",
    "prs_merged": f"""
        SELECT p.team_key, {WEEK_SQL.format(col="r.merged_at")}, count(*)
        FROM pulls r JOIN people p ON p.id = r.author_id WHERE r.merged_at IS NOT NULL GROUP BY 1, 2""",
    "reviews_given": f"""
        SELECT p.team_key, {WEEK_SQL.format(col="v.submitted_at")}, count(*)
        FROM reviews v JOIN pulls r ON r.repo_id = v.repo_id AND r.number = v.number
        JOIN people p ON p.id = v.reviewer_id
        WHERE v.reviewer_id != r.author_id GROUP BY 1, 2""",
}

# Successful production deployments with deployed_at = first success status (service: a monorepo's).
DEPLOYED_SQL = """
    SELECT d.repo_id, d.id, d.main_pos, min(s.created_at) AS deployed_at, d.service
    FROM deployments d JOIN deployment_statuses s ON s.deployment_id = d.id AND s.state = 'success'
    WHERE d.environment IN ({envs}) GROUP BY d.repo_id, d.id, d.main_pos
"""


def successful_deployments(conn: sqlite3.Connection, envs=("production",)) -> list[tuple]:
    marks = ",".join("?" * len(envs))
    sql = DEPLOYED_SQL.format(envs=marks) + " ORDER BY d.repo_id, deployed_at, d.id"
    return conn.execute(sql, envs).fetchall()


def _lead_times(conn: sqlite3.Connection, repo_id: int, service: str | None,
                deploys: list[tuple]) -> list[tuple[int, float]]:  # fmt: skip
    """(deployed_at, lead time hours) for every change one service's deployments ship (service None: the
    repository's own deployments, which ship every change; a monorepo service's, only its own)."""
    if not deploys:
        return []
    changes = conn.execute(
        """SELECT c.main_pos, min(pc_c.author_at)
           FROM pulls r JOIN commits c ON c.repo_id = r.repo_id AND c.sha = r.merge_sha
           JOIN pull_commits pc ON pc.repo_id = r.repo_id AND pc.number = r.number
           JOIN commits pc_c ON pc_c.repo_id = pc.repo_id AND pc_c.sha = pc.sha
           WHERE r.repo_id = ? AND r.merged_at IS NOT NULL AND (? IS NULL OR r.service = ?)
           GROUP BY r.number, c.main_pos ORDER BY c.main_pos""",
        (repo_id, service, service),
    ).fetchall()
    # a sha the history does not hold (main_pos null) reaches no merge; what a deployment of one, or the
    # deployment after it, shipped is unknown: those changes have no lead time (METRICS.md "Untracked shas")
    positions = [-1 if d[2] is None else d[2] for d in deploys]
    out, i = [], 0
    for merge_pos, first_author_at in changes:
        if merge_pos <= positions[0]:
            continue  # reachable from the first deployment: excluded, not credited
        while i < len(deploys) and positions[i] < merge_pos:
            i += 1
        if i == len(deploys):
            break  # not deployed yet
        if deploys[i][2] is None or deploys[i - 1][2] is None:
            continue
        deployed_at = deploys[i][3]
        out.append((deployed_at, (deployed_at - first_author_at) / 3600.0))
    return out


def compute(conn: sqlite3.Connection, profile: str, seed: int, window_hours: int = truth_incidents.WINDOW_HOURS,
            band_year: int = 2024) -> dict:  # fmt: skip
    teams = [r[0] for r in conn.execute("SELECT key FROM teams ORDER BY key")]
    repo_team = dict(conn.execute("SELECT id, team_key FROM repos"))
    cells: dict[tuple[str, str], dict] = {}

    def cell(team: str, week: str) -> dict:
        return cells.setdefault((team, week), {"lead": []})

    for name, sql in ACTIVITY_QUERIES.items():
        for team, week, count, *lines in conn.execute(sql):
            c = cell(team, week)
            c[name] = count
            if name == "commits":
                c["lines_added"], c["lines_deleted"] = lines

    weekly = _weekly_outcomes(conn, window_hours)
    # an environment copy ships nothing its original did not and counts once, with it ("Deployments")
    copies = weekly.facts.copies
    deploys = [d for d in successful_deployments(conn, truth_changes.PRODUCTION) if d[1] not in copies]
    by_service: dict[tuple[int, str | None], list[tuple]] = {}  # each service its own chain
    for row in deploys:
        by_service.setdefault((row[0], row[4]), []).append(row)
    for (rid, service), rows in by_service.items():
        team = repo_team[rid]
        for _, _, _, deployed_at, _ in rows:
            c = cell(team, _week(deployed_at))
            c["deployments"] = c.get("deployments", 0) + 1
            c.setdefault("days", set()).add(_day(deployed_at))
            c.setdefault("service_days", {}).setdefault((rid, service), set()).add(_day(deployed_at))
        for deployed_at, hours in _lead_times(conn, rid, service, rows):
            cell(team, _week(deployed_at))["lead"].append(hours)

    # METRICS.md "Weeks": every week from the first to the last of any dated fact a weekly report counts
    parts = (cells, weekly.outcomes, weekly.work, weekly.cycle)
    dated = sorted({w for part in parts for (team, w) in part if team is not None})
    rows_out = []
    for week in _weeks(dated[0], dated[-1]) if dated else []:
        for team in teams:
            c = cells.get((team, week), {"lead": []})
            rows_out.append({
                "team_key": team,
                "week_start": week,
                "deployments": c.get("deployments", 0),
                "deploy_days": len(c.get("days", ())),
                "busiest_service_deploy_days": max(map(len, c.get("service_days", {}).values()), default=0),
                "lead_time_p50_hours": quantile_cont(c["lead"], 0.5),
                "lead_time_p85_hours": quantile_cont(c["lead"], 0.85),
                "commits": c.get("commits", 0),
                "lines_added": c.get("lines_added", 0),
                "lines_deleted": c.get("lines_deleted", 0),
                "prs_opened": c.get("prs_opened", 0),
                "prs_merged": c.get("prs_merged", 0),
                "reviews_given": c.get("reviews_given", 0),
            })  # fmt: skip
    truth = {"profile": profile, "seed": seed, "rows": rows_out}
    _add_outcomes(conn, truth, window_hours, band_year, weekly)
    return truth


@dataclass(frozen=True)
class WeeklyOutcomes:
    """The outcome, work item and PR cycle cells per (team, week), and the entities and facts they came from."""

    outcomes: dict
    work: dict
    cycle: dict
    incidents: list
    items: list
    facts: truth_changes.Facts


def _weekly_outcomes(conn: sqlite3.Connection, window_hours: int) -> WeeklyOutcomes:
    facts = truth_changes.load(conn)
    incidents = truth_incidents.load(conn, facts, window_hours)
    items = truth_work.load(conn, facts)
    return WeeklyOutcomes(
        outcomes=truth_outcomes.weekly(facts, incidents, items, window_hours),
        work=truth_work.weekly(items),
        cycle=truth_cycle.weekly(facts, truth_cycle.load(conn, facts)),
        incidents=incidents,
        items=items,
        facts=facts,
    )


def _add_outcomes(conn: sqlite3.Connection, truth: dict, window_hours: int, band_year: int,
                  weekly: WeeklyOutcomes) -> None:  # fmt: skip
    """The new weekly columns, plus per-entity truth (`entities`, written to side files) and metadata."""
    incidents, items = weekly.incidents, weekly.items
    for row in truth["rows"]:
        key = (row["team_key"], row["week_start"])
        row.update(truth_outcomes.columns(weekly.outcomes.get(key, {})))
        row.update(truth_bands.columns(row, band_year))
        row.update(truth_work.columns(weekly.work.get(key, {})))
        row.update(truth_cycle.columns(weekly.cycle.get(key, {})))
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    truth["metadata"] = {
        "window_start": meta.get("window_start"), "window_end": meta.get("window_end"),
        "observed_until": meta.get("observed_until", meta.get("window_end")),
        "incident_attribution_window_hours": window_hours, "dora_band_year": band_year,
        **truth_incidents.accuracy(incidents),
    }  # fmt: skip
    truth["entities"] = {
        "incidents": {str(inc.number): truth_incidents.entity(inc) for inc in incidents},
        "work_items": {item.key: truth_work.entity(item) for item in items
                       if item.canonical_type in ("bug", "feature", "customer_request")},
        "ai_tool_seats": truth_seats.entities(conn),
        "ai_pull_requests": truth_ai.pull_requests(conn),
        "ai_commits": truth_ai.commits(conn),
    }  # fmt: skip


def _day(ts: int) -> str:
    return date.fromordinal(719163 + ts // 86400).isoformat()


def _week(ts: int) -> str:
    d = date.fromordinal(719163 + ts // 86400)
    return (d - timedelta(days=d.weekday())).isoformat()


def _weeks(first: str, last: str):
    d, end = date.fromisoformat(first), date.fromisoformat(last)
    while d <= end:
        yield d.isoformat()
        d += timedelta(days=7)


def write(conn: sqlite3.Connection, path: Path, profile: str, seed: int) -> dict:
    """ground_truth.json (rows + metadata) and, next to it, ground_truth_<entity>.json for debugging."""
    truth = compute(conn, profile, seed)
    entities = truth.pop("entities")
    path.write_text(json.dumps(truth, indent=1) + "\n")
    for name, values in entities.items():  # one entity per line: greppable, and small for the large profile
        lines = ",\n".join(f"{json.dumps(k)}: {json.dumps(v)}" for k, v in values.items())
        (path.parent / f"{path.stem}_{name}.json").write_text("{\n" + lines + "\n}\n")
    return truth
