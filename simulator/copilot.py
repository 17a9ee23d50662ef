"""Who holds a GitHub Copilot seat when: derived from the org's adoption story, read by the API and the truth.

A member of an adopting team gets a seat in the week they start using AI tools (repo_sim.adopted: 80% of
the team, a lag of 0-2 weeks), within the first two days of that week. About one seat in six is cancelled
three or more weeks later; the seat then stays billed, with `pending_cancellation_date`, until the next
billing cycle starts (the 15th of a month), and GitHub stops listing it from that date. A third of those
are granted again a few weeks after. Everything is drawn from seeded streams per person: deterministic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from simulator.org import Org, Person, build_org
from simulator.profiles import get_profile
from simulator.repo_sim import adopted
from simulator.timeutil import DAY, WEEK, epoch, utc_date

BILLING_DAY = 15  # the org's billing cycle starts on this day of each month
CANCEL_SHARE, REGRANT_SHARE = 1 / 6, 1 / 3


@dataclass(frozen=True)
class SeatGrant:
    person: Person
    team_key: str
    granted_at: int  # epoch seconds (the seat's created_at)
    cancelled_at: int | None  # when an admin cancelled it (the seat's updated_at from then on)
    ends_on: date | None  # pending_cancellation_date: the first day without the seat

    def seen_at(self, observed: int) -> tuple[date | None, bool] | None:
        """As observed at `observed`: (pending_cancellation_date then, still listed by the API); None before
        the grant. A cancellation after `observed` has not happened yet."""
        if self.granted_at > observed:
            return None
        pending = self.ends_on if self.cancelled_at is not None and self.cancelled_at <= observed else None
        return pending, pending is None or pending > utc_date(observed)


def next_billing_day(day: date) -> date:
    """The first billing-cycle start strictly after `day`."""
    candidate = day.replace(day=BILLING_DAY)
    if candidate <= day:
        candidate = (candidate.replace(day=1) + timedelta(days=32)).replace(day=BILLING_DAY)
    return candidate


def seat_grants(org: Org) -> list[SeatGrant]:
    start = epoch(org.profile.start)
    end = start + org.profile.weeks * WEEK
    grants: list[SeatGrant] = []
    for team in org.teams:
        for person in team.members:
            week = next((w for w in range(org.profile.weeks) if adopted(org, team, person, w)), None)
            if week is None:
                continue
            rng = random.Random(f"copilot:{org.seed}:{person.pid}")
            granted = start + week * WEEK + rng.randrange(2 * DAY)
            while granted < end:
                cancelled = ends_on = None
                if rng.random() < CANCEL_SHARE:
                    cancelled = granted + 3 * WEEK + rng.randrange(12 * WEEK)
                    if cancelled < end:
                        ends_on = next_billing_day(utc_date(cancelled))
                    else:
                        cancelled = None
                grants.append(SeatGrant(person, team.key, granted, cancelled, ends_on))
                if ends_on is None or rng.random() >= REGRANT_SHARE:
                    break
                granted = epoch(ends_on) + rng.randrange(7 * DAY, 35 * DAY)
    return grants


@lru_cache(maxsize=4)
def org_grants(profile: str, seed: int) -> tuple[SeatGrant, ...]:
    """The grants of a generated org, from what its org.sqlite names (meta profile and seed)."""
    return tuple(seat_grants(build_org(get_profile(profile), seed)))


def holders_on(grants: tuple[SeatGrant, ...], day: date, observed: int) -> list[SeatGrant]:
    """Seats held on `day` as known at `observed`."""
    held = []
    for grant in grants:
        seen = grant.seen_at(observed)
        if seen is not None and utc_date(grant.granted_at) <= day and (seen[0] is None or day < seen[0]):
            held.append(grant)
    return held
