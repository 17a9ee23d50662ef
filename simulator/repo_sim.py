"""Simulate one repository's pull requests, deployments, releases and issues (no git, no shas yet)."""

import hashlib
import random

from simulator import delivery as dv
from simulator.ai_signals import AiSignalSim
from simulator.org import Org, Person, Team
from simulator.plan import (
    CommitPlan,
    DeployPlan,
    FileOp,
    IssuePlan,
    PullPlan,
    ReleasePlan,
    RepoPlan,
    ReviewPlan,
)
from simulator.randomness import expo_hours, pick_weighted, poisson
from simulator.regressions import DEMO_REGRESSIONS, DEPLOY_FREEZE, regression_week
from simulator.reverts import revert_pulls
from simulator.timeutil import DAY, WEEK, epoch
from simulator.work import WorkSim

VERBS = ["add", "fix", "refactor", "speed up", "simplify", "harden", "document", "test", "remove", "rename"]
NOUNS = [
    "retry logic",
    "cart totals",
    "session cache",
    "invoice export",
    "search index",
    "rate limiter",
    "audit log",
    "feature flag",
    "login flow",
    "webhook handler",
    "batch job",
    "api client",
    "error pages",
    "metrics",
    "config loader",
]
AREAS = ["api", "core", "billing", "auth", "ui", "jobs", "storage", "web"]


def adopted(org: Org, team: Team, person: Person, week: int) -> bool:
    """Whether `person` uses AI tools in `week`: 80% of a team adopts, each with a short lag."""
    if team.adoption_week is None:
        return False
    rng = random.Random(f"adopt:{org.seed}:{person.pid}")
    if rng.random() >= dv.ADOPTING_SHARE:
        return False
    return week >= team.adoption_week + rng.randrange(0, 3)


def team_adopted(team: Team, week: int) -> bool:
    return team.adoption_week is not None and week >= team.adoption_week


class RepoSimulator:
    def __init__(self, org: Org, team: Team, repo_name: str, index: int):
        self.org, self.team, self.index = org, team, index
        self.owner, self.name = repo_name.split("/")
        self.rng = random.Random(f"repo:{org.seed}:{repo_name}")
        self.start = epoch(org.profile.start)
        self.end = self.start + org.profile.weeks * WEEK
        self.system = dv.SYSTEMS[team.delivery]
        self.regression = DEMO_REGRESSIONS.get(team.key)
        self.others = [p for t in org.teams if t is not team for p in t.members]
        self.branch_seq = 0
        self.work = WorkSim(org, team, repo_name, self.start, self.end)  # own random streams
        self.ai = AiSignalSim(org, repo_name)  # own random stream too

    def run(self) -> RepoPlan:
        founder = self.team.members[self.index % len(self.team.members)]
        root_at = self.start + 9 * 3600 + self.index % 3600
        root = CommitPlan(
            at=root_at,
            author=founder,
            email=founder.email,
            message="Initial commit\n",
            ops=[FileOp("new", "README.md", added=12), FileOp("new", ".github/workflows/ci.yml", added=20)],
        )
        pulls = [pr for week in range(self.org.profile.weeks) for pr in self._week_pulls(week)]
        deploys = self._deploys()
        pulls += revert_pulls(self.org, f"{self.owner}/{self.name}", pulls, deploys, self.end)
        for week in range(self.org.profile.weeks):
            self.work.loose_items(week, NOUNS, AREAS)
        plan = RepoPlan(
            index=self.index,
            owner=self.owner,
            name=self.name,
            team_key=self.team.key,
            created_at=root_at - 3600,
            root=root,
            pulls=pulls,
            deploys=deploys,
            issues=self._issues(),
            releases=self._releases(),
            deploys_via=dv.deploys_via(self.system, self.name),
        )
        plan.work_items = self.work.finalize()
        plan.incidents = self.work.incidents(plan.deploys)
        return plan

    # -- pull requests -------------------------------------------------------------------------
    def _week_pulls(self, week: int):
        repos = max(1, len(self.team.repos))
        base_rate = self.org.profile.prs_per_week / repos
        for person in self.team.members:
            boost = dv.AI_PR_RATE_MULTIPLIER if adopted(self.org, self.team, person, week) else 1.0
            for _ in range(poisson(self.rng, base_rate * boost)):
                yield self._pull(person, week, boost > 1.0)
        # Now and then someone from another team contributes (credited to their own team's activity).
        if self.others and self.rng.random() < 0.15:
            yield self._pull(self.rng.choice(self.others), week, False)

    def _start_time(self, person: Person, week: int) -> int:
        """A weekday in the author's local calendar; ~12% of PRs start late at night (local)."""
        day = self.rng.randrange(5)
        local_midnight = self.start + week * WEEK + day * DAY - person.tz_offset * 60
        if self.rng.random() < 0.12:
            minute = self.rng.randrange(22 * 60 + 30, 25 * 60 + 30)  # 22:30 .. 01:30 local
        else:
            minute = self.rng.randrange(9 * 60, 18 * 60)
        at = local_midnight + minute * 60 + self.rng.randrange(60)
        # Far-east Monday mornings fall on Sunday UTC, before the window and the initial commit.
        return at + DAY if at < self.start + 10 * 3600 else at

    def _pull(self, author: Person, week: int, assisted: bool) -> PullPlan:
        rng = self.rng
        self.branch_seq += 1
        area = rng.choice(AREAS)
        title = f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)}"
        marks = self.ai.marks(author, assisted)
        branch = f"{marks.branch_prefix}{area}-{self.branch_seq}"
        first_at = self._start_time(author, week)
        n_commits = pick_weighted(rng, (1, 2, 3, 4, 5), (10, 20, 30, 25, 15) if assisted else (35, 30, 20, 10, 5))
        gap = dv.COMMIT_GAP_HOURS_ASSISTED if assisted else dv.COMMIT_GAP_HOURS
        commits, paths = [], []
        at = first_at
        for i in range(n_commits):  # the work happens before the PR opens: the `coding` stage
            if i > 0:
                at += expo_hours(rng, gap)
            commits.append(self._commit(author, at, area, title, i, paths, assisted, marks.agent))
        created_at = at + rng.randrange(10 * 60, 90 * 60)
        any_assisted = any(c.assisted for c in commits)

        team = self.team.members
        pool = [p for p in team if p is not author] or team
        team_week = dv.AI_PR_RATE_MULTIPLIER if team_adopted(self.team, week) else 1.0
        load = self.system.review_load_factor if team_week > 1 else 1.0
        wait_mean = self.system.review_wait_hours * load * dv.review_trend(week, self.org.profile.weeks)
        reviews = []
        n_reviews = pick_weighted(rng, (0, 1, 2, 3), (10, 45, 30, 15))
        t = created_at + expo_hours(rng, wait_mean, floor_minutes=10)
        for i in range(n_reviews):
            last = i == n_reviews - 1
            state = "APPROVED" if last and rng.random() < 0.85 else rng.choice(("CHANGES_REQUESTED", "COMMENTED"))
            reviews.append(ReviewPlan(t, rng.choice(pool), state))
            t += rng.randrange(30 * 60, 6 * 3600)
        if rng.random() < 0.05:  # the author answers on their own PR: not a review given
            reviews.append(ReviewPlan(created_at + rng.randrange(600, 7200), author, "COMMENTED"))
        reviews.sort(key=lambda r: r.at)
        requested = rng.sample(pool, k=min(len(pool), rng.randrange(0, 3)))

        ready = max([commits[-1].at] + [r.at for r in reviews])
        fate = rng.random()
        pr = PullPlan(author, created_at, title, branch, commits, reviews, requested, assisted=any_assisted, ai=marks,
                      service=dv.service_of_area(self.name, area))
        if fate < 0.88:
            pr.merged_at = ready + expo_hours(rng, self.system.merge_delay_hours, floor_minutes=3)
            pr.closed_at = pr.merged_at
        elif fate < 0.96:
            pr.closed_at = ready + rng.randrange(3600, 3 * DAY)
        else:
            pr.draft = rng.random() < 0.5
        pr = self._clip(pr)
        self.work.attach(pr, area)
        return pr

    def _clip(self, pr: PullPlan) -> PullPlan:
        """Drop what happens after the window ends; such PRs simply stay open."""
        pr.commits = [c for c in pr.commits if c.at < self.end]
        pr.reviews = [r for r in pr.reviews if r.at < self.end]
        if pr.closed_at is not None and pr.closed_at >= self.end:
            pr.merged_at = pr.closed_at = None
        return pr  # `requested` stays: rows.py clears it once the PR is observed closed

    def _commit(self, author, at, area, title, i, paths, assisted, agent=None) -> CommitPlan:
        rng = self.rng
        ops = []
        roll = rng.random()
        if i == 0 or roll < 0.4 or not paths:
            path = f"src/{area}/{self.name.replace('-', '_')}_{self.branch_seq}_{i}.py"
            paths.append([path, 0])
            ops.append(FileOp("new", path, added=rng.randrange(5, 80 if assisted else 50)))
            paths[-1][1] = ops[-1].added
        else:
            entry = rng.choice(paths)
            deleted = rng.randrange(0, min(entry[1], 15) + 1)
            added = rng.randrange(1, 40)
            ops.append(FileOp("edit", entry[0], added=added, deleted=deleted))
            entry[1] += added - deleted
        if rng.random() < 0.03:
            ops.append(FileOp("binary", f"assets/{area}_{self.branch_seq}_{i}.png", added=64 + i))
        hint = title if i == 0 else rng.choice(("Address review comments", "Fix tests", f"Tidy {area}"))
        is_assisted = assisted and rng.random() < dv.ASSISTED_TRAILER_SHARE
        message = f"{hint}\n"
        if is_assisted:
            message += f"\n{dv.COPILOT_TRAILER}\n"
        email = author.alias_email if rng.random() < 0.10 else author.email
        if agent is not None:  # the agent commits, naming the person who assigned it (draws as before)
            message = f"{hint}\n\nCo-authored-by: {author.name} <{author.email}>\n"
            return CommitPlan(at=at, author=agent, email=agent.email, message=message, ops=ops)
        return CommitPlan(at=at, author=author, email=email, message=message, ops=ops, assisted=is_assisted)

    # -- deployments, releases, issues ---------------------------------------------------------
    def _deploys(self) -> list[DeployPlan]:
        """The team's deploy cadence; a monorepo's services each on their own weekday (delivery.MONOREPOS)."""
        chains = [(name, (weekday,)) for name, weekday, _ in dv.services(self.name)]
        out = []
        for service, weekdays in chains or [(None, self.system.deploy_weekdays)]:
            out += self._deploy_chain(service, weekdays)
        out = [d for d in out if d.at + d.duration < self.end]
        if self.name in dv.UNTRACKED_FIRST_DEPLOYMENT:  # deploys tracked from its second week, the first untracked
            out = [d for d in out if d.at >= self.start + WEEK]
            first = min((d for d in out if d.environment == "production" and d.succeeded), key=lambda d: d.at)
            seed = f"untracked:{self.owner}/{self.name}".encode()
            first.untracked_sha = hashlib.sha1(seed, usedforsecurity=False).hexdigest()
        if share := dv.ROLLBACK_SHARE.get(self.name):
            out += self._rollbacks(out, share)
        if region := dv.SECOND_REGIONS.get(self.name):
            out += self._region_copies(out, region)
        return out

    def _rollbacks(self, deploys: list[DeployPlan], share: float) -> list[DeployPlan]:
        """After `share` of the successful production deploys, a rollback 30-90 minutes after it finished, unless
        the next deploy comes within an hour of it. Their own random stream."""
        rng = random.Random(f"{self.owner}/{self.name}:rollbacks")
        chains: dict[str | None, list[DeployPlan]] = {}
        for d in sorted((d for d in deploys if d.environment == "production" and d.succeeded), key=lambda d: d.at):
            chains.setdefault(d.service, []).append(d)
        out = []
        for chain in chains.values():
            for d, after in zip(chain, [*chain[1:], None], strict=True):
                at = d.at + d.duration + rng.randrange(30 * 60, 90 * 60)
                if rng.random() < share and not d.untracked_sha and (after is None or at < after.at - 3600):
                    out.append(DeployPlan(at, "production", d.creator, True, rng.randrange(180, 720),
                                          service=d.service, rolls_back=d))  # fmt: skip
        return [d for d in out if d.at + d.duration < self.end]

    def _region_copies(self, deploys: list[DeployPlan], region: str) -> list[DeployPlan]:
        """Each successful production deploy again in `region`, 15-40 minutes after it finished; 3% fail there.
        Their own random stream, so the rest of the repository's history stays what it was."""
        rng = random.Random(f"{self.owner}/{self.name}:{region}")
        out = []
        for d in (d for d in deploys if d.environment == "production" and d.succeeded):
            at = d.at + d.duration + rng.randrange(15 * 60, 40 * 60)
            out.append(DeployPlan(at, region, d.creator, rng.random() >= 0.03, rng.randrange(180, 720),
                                  service=d.service, untracked_sha=d.untracked_sha, ships=d))  # fmt: skip
        return [d for d in out if d.at + d.duration < self.end]

    def _deploy_chain(self, service: str | None, weekdays: tuple[int, ...]) -> list[DeployPlan]:
        out = []
        rng = self.rng
        members = self.team.members
        frozen = regression_week(self.org.profile.weeks) if self.regression == DEPLOY_FREEZE else None
        for day in range(self.org.profile.weeks * 7):
            if day % 7 not in weekdays or day // 7 == frozen:
                continue
            for hour, minute in self.system.deploy_times_utc:
                at = self.start + day * DAY + hour * 3600 + minute * 60 + rng.randrange(0, 20 * 60)
                creator = rng.choice(members)
                out.append(DeployPlan(at - 25 * 60, "staging", creator, True, rng.randrange(120, 600), service=service))
                ok = rng.random() >= 0.05
                out.append(DeployPlan(at, "production", creator, ok, rng.randrange(180, 720), service=service))
        return out

    def _releases(self) -> list[ReleasePlan]:
        out = []
        for n, week in enumerate(range(3, self.org.profile.weeks, 4)):
            at = self.start + week * WEEK + 11 * 3600 + self.rng.randrange(3600)
            out.append(ReleasePlan(at, self.rng.choice(self.team.members), f"v1.{n}.0"))
        return out

    def _issues(self) -> list[IssuePlan]:
        out = []
        for week in range(self.org.profile.weeks):
            if self.rng.random() < 0.5:
                at = self.start + week * WEEK + self.rng.randrange(5 * DAY)
                closed = at + self.rng.randrange(3600, 10 * DAY) if self.rng.random() < 0.7 else None
                closed = closed if closed and closed < self.end else None
                title = f"{self.rng.choice(NOUNS).capitalize()} is broken"
                out.append(IssuePlan(self.rng.choice(self.team.members), at, title, closed))
        return out
