"""Named org sizes. Dates are fixed so the same seed always tells the same story."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Profile:
    name: str
    org: str
    teams: int
    members_per_team: int
    repos_per_team: int
    weeks: int
    start: date = date(2026, 1, 5)  # a Monday, 00:00 UTC
    # Mean PRs per engineer per week before AI adoption (spread over the team's repos).
    prs_per_week: float = 2.0


PROFILES = {
    "demo": Profile("demo", "acme", teams=3, members_per_team=10, repos_per_team=2, weeks=26),
    "large": Profile(
        "large", "acme", teams=100, members_per_team=10, repos_per_team=3, weeks=104, prs_per_week=1.5
    ),
    # Tiny profile for fast unit tests.
    "tiny": Profile("tiny", "acme", teams=3, members_per_team=4, repos_per_team=1, weeks=8),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}; known: {sorted(PROFILES)}") from None
