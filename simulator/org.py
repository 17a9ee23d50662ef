"""Teams, people and repositories: the static part of the org, small enough to hold in memory."""

import random
from dataclasses import dataclass, field

from simulator.profiles import Profile

FIRST = [
    "ada", "alan", "barbara", "claude", "dennis", "edsger", "frances", "grace", "hedy", "ivan", "joan",
    "ken", "linus", "margaret", "niklaus", "olga", "peter", "radia", "sophie", "tim", "ursula", "vint",
    "whitfield", "xiao", "yukihiro", "zara", "amara", "bjarne", "carmen", "dmitri", "elena", "farid",
    "gita", "hiro", "ines", "jamal", "kofi", "lena", "mateo", "nadia", "omar", "priya", "quentin",
    "rosa", "sven", "tariq", "uma", "viktor", "wei", "yara", "zoltan"
]
LAST = [
    "lovelace", "turing", "liskov", "shannon", "ritchie", "dijkstra", "allen", "hopper", "lamarr",
    "sutherland", "clarke", "thompson", "torvalds", "hamilton", "wirth", "taussky", "naur", "perlman",
    "wilson", "lee", "berners", "cerf", "diffie", "chen", "matsumoto", "okafor", "silva", "novak",
    "ivanova", "haddad", "rao", "tanaka", "moreau", "nkosi", "kowalski", "garcia", "petrov", "sato",
    "andersen", "mehta", "nguyen", "fischer", "rossi", "santos", "kim", "olsen"
]
# Fixed UTC offsets in minutes: west coast, east coast, Europe, India, Japan...
OFFSETS = (-480, -420, -300, -240, 0, 60, 120, 330, 540, 600)
DEMO_WEEKS = 26
DEMO_TEAMS = (
    # key, name, delivery system, adoption week of a 26-week window (None = never), repos
    ("checkout", "Checkout", "good", 10, ("checkout-api", "checkout-web")),
    ("ledger", "Ledger", "slow", 12, ("ledger-core", "ledger-batch")),
    ("growth", "Growth", "medium", None, ("growth-site", "growth-experiments")),
)


@dataclass
class Person:
    pid: int  # also the GitHub user id
    key: str
    name: str
    email: str
    login: str
    team_key: str
    tz_offset: int  # minutes east of UTC

    @property
    def alias_email(self) -> str:
        return f"{self.pid}+{self.login}@users.noreply.github.com"


@dataclass
class Team:
    key: str
    name: str
    delivery: str  # good | medium | slow: review speed and deploy cadence
    adoption_week: int | None
    repos: list[str] = field(default_factory=list)
    members: list[Person] = field(default_factory=list)
    project: str = ""  # work item (Jira-like) project key, e.g. CHK


@dataclass
class Org:
    login: str
    profile: Profile
    seed: int
    teams: list[Team]

    @property
    def people(self) -> list[Person]:
        return [p for t in self.teams for p in t.members]


def _team_specs(profile: Profile, rng: random.Random) -> list[tuple]:
    if profile.name == "demo" or profile.teams == 3:
        scale = profile.weeks / DEMO_WEEKS  # adopt at the same point of a shorter window: tiny adopts in weeks 3, 4
        return [(k, n, d, a and round(a * scale), r[: profile.repos_per_team]) for k, n, d, a, r in DEMO_TEAMS]
    specs = []
    for i in range(profile.teams):
        key = f"team-{i + 1:03d}"
        delivery = rng.choice(("good", "medium", "slow"))
        adoption = None if rng.random() < 0.25 else rng.randrange(4, profile.weeks - 8)
        repos = tuple(f"{key}-svc{j + 1}" for j in range(profile.repos_per_team))
        specs.append((key, f"Team {i + 1:03d}", delivery, adoption, repos))
    return specs


def project_key(name: str, used: set[str]) -> str:
    """`Checkout` -> CHK, `Team 007` -> TM007: the first letter, then new consonants, then digits."""
    letters = [ch for ch in name.upper() if ch.isalpha()]
    digits = "".join(ch for ch in name if ch.isdigit())
    key = letters[0] if letters else "P"
    for ch in letters[1:]:
        if len(key) == 3:
            break
        if ch not in "AEIOU" and ch not in key:
            key += ch
    key += digits
    base, n = key, 2
    while key in used:
        key, n = f"{base}{n}", n + 1
    used.add(key)
    return key


def build_org(profile: Profile, seed: int) -> Org:
    rng = random.Random(f"org:{seed}:{profile.name}")
    teams = []
    used: set[str] = set()
    pid = 1000
    for key, name, delivery, adoption, repos in _team_specs(profile, rng):
        team = Team(key, name, delivery, adoption, [f"{profile.org}/{r}" for r in repos])
        for _ in range(profile.members_per_team):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            base = handle = f"{first}.{last}"
            k = 2
            while handle in used:  # same name twice: number the handle, keep the display name
                handle, k = f"{base}{k}", k + 1
            used.add(handle)
            pid += 1
            display = f"{first.capitalize()} {last.capitalize()}"
            team.members.append(
                Person(
                    pid=pid,
                    key=handle.replace(".", "_"),
                    name=display,
                    email=f"{handle}@{profile.org}.test",
                    login=handle.replace(".", "-"),
                    team_key=key,
                    tz_offset=rng.choice(OFFSETS),
                )
            )
        teams.append(team)
    projects: set[str] = set()
    for team in teams:
        team.project = project_key(team.name, projects)
    return Org(profile.org, profile, seed, teams)
