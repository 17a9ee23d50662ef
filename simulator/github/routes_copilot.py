"""GitHub Copilot endpoints of an org: seat assignments and daily metrics, as observed at the org's cutoff.

Seats (`GET /orgs/{org}/copilot/billing/seats`): `{total_seats, seats}`, paged by Link headers; a cancelled
seat is listed with its `pending_cancellation_date` until that date. Metrics (`GET /orgs/{org}/copilot/metrics`):
a list of days (`since`/`until`, at most the last 100 days, up to yesterday), a day only when at least five
seats were held that day, its users drawn from the seat holders.
"""

import random
from datetime import date, timedelta

from simulator.copilot import SeatGrant, holders_on, org_grants
from simulator.github.api_base import Reply, Request, error
from simulator.github.filters import since_until
from simulator.github.pagination import link_header, page_params
from simulator.github.shapes_core import user
from simulator.timeutil import DAY, epoch, iso, parse_iso, utc_date

EDITOR = "vscode/1.96.2/copilot/1.254.0"
METRICS_DAYS, MIN_SEATS = 100, 5


def _observed(req: Request) -> tuple[tuple[SeatGrant, ...], int, int]:
    meta = dict(req.conn.execute("SELECT key, value FROM meta").fetchall())
    return org_grants(meta["profile"], int(meta["seed"])), parse_iso(meta["observed_until"]), int(meta["seed"])


def _page(req: Request, items: list) -> tuple[list, dict]:
    page, per_page = page_params(req.query)
    keep = {k: v for k, v in req.query.items() if k not in ("page", "per_page")}
    link = link_header(req.url, keep, page, per_page, len(items))
    return items[(page - 1) * per_page : page * per_page], ({"Link": link} if link else {})


def list_seats(req: Request, org: str) -> Reply:
    if org.lower() != req.directory.org.lower():
        return error(404, "Not Found")
    grants, observed, _ = _observed(req)
    listed = []
    for grant in sorted(grants, key=lambda g: (g.granted_at, g.person.pid)):
        seen = grant.seen_at(observed)
        if seen is not None and seen[1]:
            listed.append(_seat(req, grant, seen[0], observed))
    seats, headers = _page(req, listed)
    return Reply(200, {"total_seats": len(listed), "seats": seats}, headers)


def _seat(req: Request, grant: SeatGrant, pending: date | None, observed: int) -> dict:
    last_day = utc_date(observed) - timedelta(days=1)
    if pending is not None:
        last_day = min(last_day, pending - timedelta(days=1))
    while last_day.weekday() >= 5:
        last_day -= timedelta(days=1)
    active_at = epoch(last_day) + 9 * 3600 + grant.person.pid % 3600
    last_activity = iso(active_at) if active_at >= grant.granted_at else None
    team = grant.team_key
    return {
        "created_at": iso(grant.granted_at),
        "updated_at": iso(grant.cancelled_at if pending is not None else grant.granted_at),
        "pending_cancellation_date": pending.isoformat() if pending else None,
        "last_activity_at": last_activity,
        "last_activity_editor": EDITOR if last_activity else None,
        "last_authenticated_at": last_activity,
        "plan_type": "business",
        "assignee": user(req.urls, grant.person.login, grant.person.pid),
        "assigning_team": {
            "id": 7_000 + sum(map(ord, team)),
            "name": team.capitalize(),
            "slug": team,
            "url": f"{req.urls.api}/orgs/{req.directory.org}/teams/{team}",
            "html_url": f"{req.urls.web}/orgs/{req.directory.org}/teams/{team}",
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "permission": "pull",
            "parent": None,
        },
    }


def list_metrics(req: Request, org: str) -> Reply:
    if org.lower() != req.directory.org.lower():
        return error(404, "Not Found")
    grants, observed, seed = _observed(req)
    try:
        since, until = since_until(req.query)
    except ValueError:
        return error(422, "Invalid since or until")
    yesterday = utc_date(observed - DAY)
    oldest = yesterday - timedelta(days=METRICS_DAYS - 1)
    first = max(utc_date(since), oldest) if since is not None else yesterday - timedelta(days=27)  # default: 28 days
    last = min(utc_date(until), yesterday) if until is not None else yesterday
    days = []
    day = first
    while day <= last:
        holders = holders_on(grants, day, observed)
        if len(holders) >= MIN_SEATS:
            days.append(_day_metrics(day, holders, seed))
        day += timedelta(days=1)
    items, headers = _page(req, days)
    return Reply(200, items, headers)


def _day_metrics(day: date, holders: list[SeatGrant], seed: int) -> dict:
    """Users active that day (most seat holders on weekdays, few at weekends), engaged ones among them."""
    weekday = day.weekday() < 5
    active = engaged = chatting = suggestions = acceptances = 0
    for grant in holders:
        rng = random.Random(f"copilot-day:{seed}:{day}:{grant.person.pid}")
        if rng.random() >= (0.9 if weekday else 0.1):
            continue
        active += 1
        if rng.random() < 0.85:
            engaged += 1
            shown = rng.randrange(30, 150)
            suggestions += shown
            acceptances += int(shown * rng.uniform(0.2, 0.4))
            chatting += rng.random() < 0.5
    language = {"name": "python", "total_engaged_users": engaged, "total_code_suggestions": suggestions,
                "total_code_acceptances": acceptances, "total_code_lines_suggested": suggestions * 3,
                "total_code_lines_accepted": acceptances * 2}  # fmt: skip
    model = {"name": "default", "is_custom_model": False, "custom_model_training_date": None,
             "total_engaged_users": engaged}  # fmt: skip
    return {
        "date": day.isoformat(),
        "total_active_users": active,
        "total_engaged_users": engaged,
        "copilot_ide_code_completions": {
            "total_engaged_users": engaged,
            "languages": [{"name": "python", "total_engaged_users": engaged}],
            "editors": [
                {"name": "vscode", "total_engaged_users": engaged, "models": [{**model, "languages": [language]}]}
            ],
        },
        "copilot_ide_chat": {
            "total_engaged_users": chatting,
            "editors": [
                {
                    "name": "vscode",
                    "total_engaged_users": chatting,
                    "models": [
                        {
                            **model,
                            "total_engaged_users": chatting,
                            "total_chats": chatting * 4,
                            "total_chat_insertion_events": chatting,
                            "total_chat_copy_events": chatting,
                        }
                    ],
                }
            ],
        },  # fmt: skip
        "copilot_dotcom_chat": {"total_engaged_users": 0, "models": []},
        "copilot_dotcom_pull_requests": {"total_engaged_users": 0, "repositories": []},
    }
