"""Work items (Jira-like) and incidents (PagerDuty-like) for one repository.

Both use their own seeded random streams, never the repository's: adding them leaves every PR,
review and deployment time (and so every ground-truth number) exactly as it was. Only PR titles,
branch names and some commit messages gain the work item key, which changes shas, not timings.

Work items live in the team's project. Repositories are simulated independently, so a repository
numbers its own items in creation order and interleaves them with its siblings': the k-th item
(0-based) of the team's r-th repository (of R) is number k * R + r + 1. Keys are unique per
project and nearly, not exactly, chronological.
"""

import random
import re

from simulator.org import Org, Person, Team
from simulator.plan import DeployPlan, IncidentPlan, PullPlan, TransitionPlan, WorkItemPlan
from simulator.randomness import expo_hours, pick_weighted, poisson
from simulator.regressions import BAD_DEPLOY_INCIDENT_RATE, BAD_DEPLOYS, DEMO_REGRESSIONS, regression_week
from simulator.timeutil import DAY, WEEK

TODO, IN_PROGRESS, IN_REVIEW, DONE = "To Do", "In Progress", "In Review", "Done"
CATEGORY = {TODO: "new", IN_PROGRESS: "indeterminate", IN_REVIEW: "indeterminate", DONE: "done"}
TYPES = ("Story", "Bug", "Task", "Customer Request")
PR_TYPE_WEIGHTS = (45, 25, 26, 4)
LOOSE_TYPE_WEIGHTS = (15, 35, 20, 30)  # items no PR implements (yet)
POINTS = (1, 2, 3, 5, 8, 13)
EXTRA_LABELS = ("backend", "frontend", "tech-debt", "customer", "security", "performance")
LOOSE_SUMMARIES = {
    "Story": "Support {noun} for enterprise accounts",
    "Bug": "{noun} fails intermittently",
    "Task": "Upgrade dependencies of {noun}",
    "Customer Request": "Customer asks about {noun}",
}
PR_LINK_SHARE = 0.85  # share of PRs that implement a work item
MENTION_SHARE = 0.30  # share of a linked PR's commits whose message mentions the key
SPRINT = 2 * WEEK

# Incidents: chance that a successful production deployment causes one, by delivery system.
INCIDENT_RATE = {"good": 0.02, "medium": 0.06, "slow": 0.35}
UNRELATED_INCIDENTS_PER_WEEK = 0.12
SEVERITIES = ("SEV-1", "SEV-2", "SEV-3", "SEV-4")
SEVERITY_WEIGHTS = (5, 20, 45, 30)
PRIORITY = {"SEV-1": "P1", "SEV-2": "P2", "SEV-3": "P3", "SEV-4": "P4"}
RESOLVE_HOURS = {"SEV-1": 1.0, "SEV-2": 2.0, "SEV-3": 4.0, "SEV-4": 8.0}
SYMPTOMS = ("elevated 5xx rate", "p99 latency above SLO", "error budget burn", "queue backlog growing",
            "health checks failing", "elevated timeouts")  # fmt: skip


def slug(text: str, words: int = 4) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()[:words])


class WorkSim:
    """Called by RepoSimulator; owns the work item and incident random streams of one repository."""

    def __init__(self, org: Org, team: Team, repo_name: str, start: int, end: int):
        self.org, self.team, self.repo_name = org, team, repo_name
        self.start, self.end = start, end
        self.rng = random.Random(f"work:{org.seed}:{repo_name}")
        self.irng = random.Random(f"incident:{org.seed}:{repo_name}")
        self.items: list[WorkItemPlan] = []

    # -- work items --------------------------------------------------------------------------
    def attach(self, pr: PullPlan, area: str) -> None:
        """Maybe give `pr` the work item it implements (call after the PR is clipped to the window)."""
        rng = self.rng
        if rng.random() >= PR_LINK_SHARE or not pr.commits:
            return
        kind = pick_weighted(rng, TYPES, PR_TYPE_WEIGHTS)
        first_at = pr.commits[0].at
        created = first_at - expo_hours(rng, 36.0, floor_minutes=10)
        item = self._item(kind, pr.title, created, pr.author, area)
        item.pull = pr
        item.mentions = [rng.choice(("prefix", "suffix", "refs")) if rng.random() < MENTION_SHARE else ""
                         for _ in pr.commits]  # fmt: skip
        started = first_at - rng.randrange(0, min(4 * 3600, first_at - created))
        self._move(item, started, IN_PROGRESS, pr.author)
        if not pr.draft:
            self._move(item, pr.created_at + rng.randrange(0, 300), IN_REVIEW, pr.author)
        if pr.merged_at is not None:
            self._move(item, pr.merged_at + expo_hours(rng, 1.0, floor_minutes=1), DONE, pr.author)
        elif pr.closed_at is not None:
            self._move(item, pr.closed_at + rng.randrange(60, 3600), TODO, pr.author)
        pr.work_item = item

    def loose_items(self, week: int, nouns: list[str], areas: list[str]) -> None:
        """Items no PR implements: backlog, questions answered, bugs fixed elsewhere."""
        rng = self.rng
        members = self.team.members
        for _ in range(poisson(rng, 1.0)):
            kind = pick_weighted(rng, TYPES, LOOSE_TYPE_WEIGHTS)
            created = self.start + week * WEEK + rng.randrange(5 * DAY) + rng.randrange(8 * 3600, 18 * 3600)
            reporter = rng.choice(self.org.people)
            summary = LOOSE_SUMMARIES[kind].format(noun=rng.choice(nouns)).capitalize()
            item = self._item(kind, summary, created, rng.choice(members), rng.choice(areas), reporter)
            fate = rng.random()
            if fate < 0.5:
                continue  # stays in the backlog
            started = created + expo_hours(rng, 48.0, floor_minutes=30)
            self._move(item, started, IN_PROGRESS, item.assignee)
            if fate >= 0.75:
                self._move(item, started + expo_hours(rng, 24.0, floor_minutes=15), DONE, item.assignee)

    def _item(self, kind, summary, created, assignee: Person, area, reporter: Person | None = None):
        rng = self.rng
        if reporter is None:
            reporter = assignee if rng.random() < 0.4 else rng.choice(self.team.members)
        environment = None
        if kind == "Bug":
            environment = "production" if rng.random() < 0.65 else "staging"
        points = None if kind == "Customer Request" or rng.random() < 0.1 else rng.choice(POINTS)
        labels = [area] + ([rng.choice(EXTRA_LABELS)] if rng.random() < 0.4 else [])
        item = WorkItemPlan(kind, summary, created, reporter, assignee, points, labels, environment,
                            seq=len(self.items))  # fmt: skip
        item.transitions.append(TransitionPlan(created, TODO, reporter))
        self.items.append(item)
        return item

    def _move(self, item: WorkItemPlan, at: int, status: str, who: Person) -> None:
        """Append a transition unless it falls after the window (the item then stays where it is)."""
        at = max(at, item.transitions[-1].at + 1)
        if at < self.end:
            item.transitions.append(TransitionPlan(at, status, who))

    def finalize(self) -> list[WorkItemPlan]:
        """Number the repository's items and write their keys into PR titles, branches and commits."""
        repos = self.team.repos
        stride, offset = len(repos), repos.index(self.repo_name) if self.repo_name in repos else 0
        items = sorted(self.items, key=lambda w: (w.created_at, w.seq))
        for k, item in enumerate(items):
            item.number = k * stride + offset + 1
            item.key = f"{self.team.project}-{item.number}"
            started = [t.at for t in item.transitions if t.status != TODO]
            if started:
                item.sprint = f"{self.team.project} Sprint {max(1, (started[0] - self.start) // SPRINT + 1)}"
            pr = item.pull
            if pr is None:
                continue
            pr.title = f"{item.key}: {item.summary}"
            pr.branch = f"{pr.branch_prefix}{item.key.lower()}-{slug(item.summary)}"
            for commit, form in zip(pr.commits, item.mentions, strict=False):
                commit.message = mention(commit.message, item.key, form)
        return items

    # -- incidents ---------------------------------------------------------------------------
    def incidents(self, deploys: list[DeployPlan]) -> list[IncidentPlan]:
        rng = self.irng
        out = []
        usual = INCIDENT_RATE[self.team.delivery]
        bad_week = (
            regression_week(self.org.profile.weeks) if DEMO_REGRESSIONS.get(self.team.key) == BAD_DEPLOYS else None
        )
        for d in sorted(deploys, key=lambda d: d.at):
            rate = BAD_DEPLOY_INCIDENT_RATE if (d.at - self.start) // WEEK == bad_week else usual
            if d.environment != "production" or not d.succeeded or d.rolls_back or rng.random() >= rate:
                continue
            lag = min(18 * 3600, expo_hours(rng, 2.0, floor_minutes=5))
            explicit = pick_weighted(rng, ("deployment", "sha", ""), (35, 25, 40))
            out.append(self._incident(d.at + d.duration + lag, d, explicit))
        for week in range(self.org.profile.weeks):
            for _ in range(poisson(rng, UNRELATED_INCIDENTS_PER_WEEK)):
                out.append(self._incident(self.start + week * WEEK + rng.randrange(WEEK), None, ""))
        return sorted((i for i in out if i.created_at < self.end), key=lambda i: i.created_at)

    def _incident(self, at: int, cause: DeployPlan | None, explicit: str) -> IncidentPlan:
        rng = self.irng
        members = self.team.members
        severity = pick_weighted(rng, SEVERITIES, SEVERITY_WEIGHTS)
        urgency = "high" if severity in ("SEV-1", "SEV-2") or rng.random() < 0.3 else "low"
        service = self.repo_name.split("/")[1]
        title = f"[{service}] {rng.choice(SYMPTOMS)}"
        oncall = rng.choice(members)
        incident = IncidentPlan(at, title, severity, urgency, PRIORITY[severity], oncall, cause, explicit)
        log = [("trigger_log_entry", at, None)]
        t, responder = at, oncall
        if rng.random() < (0.35 if urgency == "high" else 0.15):
            t += rng.randrange(5 * 60, 15 * 60)
            responder = rng.choice([p for p in members if p is not oncall] or members)
            log.append(("escalate_log_entry", t, None))
        t += expo_hours(rng, 8 / 60, floor_minutes=1)
        log.append(("acknowledge_log_entry", t, responder))
        t += expo_hours(rng, RESOLVE_HOURS[severity], floor_minutes=10)
        log.append(("resolve_log_entry", t, responder))
        incident.log = [entry for entry in log if entry[1] < self.end]
        incident.assignee = responder
        return incident


def mention(message: str, key: str, form: str) -> str:
    """Put `key` in a commit message's subject or in a `Refs` line (trailers stay last)."""
    if not form:
        return message
    subject, _, rest = message.partition("\n")
    if form == "prefix":
        return f"{key} {subject}\n{rest}"
    if form == "suffix":
        return f"{subject} ({key})\n{rest}"
    return f"{subject}\n\nRefs {key}\n{rest}"
