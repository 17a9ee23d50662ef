"""Plain records describing one repository's history before it is written to git and SQLite."""

from dataclasses import dataclass, field

from simulator.ai_signals import AiMarks
from simulator.org import Person


@dataclass
class FileOp:
    kind: str  # new | edit | binary
    path: str
    added: int = 0
    deleted: int = 0


@dataclass
class CommitPlan:
    at: int  # author time (epoch, UTC)
    author: Person
    email: str  # primary or noreply alias
    message: str
    ops: list[FileOp]
    assisted: bool = False
    pr_number: int | None = None
    is_merge: bool = False
    committer_at: int | None = None
    mark: int = 0
    parents: list[int] = field(default_factory=list)  # marks
    main_pos: int | None = None  # position on main's first-parent chain (merges and the root)
    sha: str = ""

    @property
    def additions(self) -> int:
        return sum(op.added for op in self.ops if op.kind != "binary")

    @property
    def deletions(self) -> int:
        return sum(op.deleted for op in self.ops if op.kind != "binary")


@dataclass
class ReviewPlan:
    at: int
    reviewer: Person
    state: str
    commit: CommitPlan | None = None  # PR head when the review was submitted


@dataclass
class PullPlan:
    author: Person
    created_at: int
    title: str
    branch: str
    commits: list[CommitPlan]
    reviews: list[ReviewPlan]
    requested: list[Person]
    merged_at: int | None = None
    closed_at: int | None = None
    draft: bool = False
    assisted: bool = False
    number: int = 0
    merge_commit: CommitPlan | None = None
    base_commit: CommitPlan | None = None
    work_item: "WorkItemPlan | None" = None  # the Jira-like item this PR implements, if any
    ai: AiMarks | None = None  # the AI signals it shows (ai_signals.py)
    reverts: "PullPlan | None" = None  # the merged PR this one reverts (GitHub's revert button)
    service: str | None = None  # a monorepo's service its files belong to (delivery.MONOREPOS)

    @property
    def opener(self) -> Person:
        """GitHub's author: the coding agent for an agent's PR, else the author."""
        return self.ai.agent if self.ai and self.ai.agent else self.author

    @property
    def branch_prefix(self) -> str:
        return self.ai.branch_prefix if self.ai else f"{self.author.login}/"

    @property
    def updated_at(self) -> int:
        times = [self.created_at, *(c.at for c in self.commits), *(r.at for r in self.reviews)]
        times += [t for t in (self.merged_at, self.closed_at) if t]
        return max(times)


@dataclass
class DeployPlan:
    at: int
    environment: str
    creator: Person
    succeeded: bool
    duration: int
    commit: CommitPlan | None = None  # main head at `at`
    service: str | None = None  # the monorepo service it deploys (delivery.MONOREPOS); None: the repository
    # a build of a commit the repository's history does not hold (pushed, deployed, then force-pushed away)
    untracked_sha: str | None = None
    ships: "DeployPlan | None" = None  # a second region's copy of that deploy: its commit
    # a rollback of that deploy: to the last commit production deployed before its own (timeline.py)
    rolls_back: "DeployPlan | None" = None

    @property
    def sha(self) -> str:
        return self.untracked_sha or self.commit.sha


@dataclass
class IssuePlan:
    author: Person
    created_at: int
    title: str
    closed_at: int | None
    number: int = 0


@dataclass
class ReleasePlan:
    at: int
    author: Person
    tag: str
    commit: CommitPlan | None = None


@dataclass
class RepoPlan:
    index: int
    owner: str
    name: str
    team_key: str
    created_at: int
    root: CommitPlan
    pulls: list[PullPlan]
    deploys: list[DeployPlan]
    issues: list[IssuePlan]
    releases: list[ReleasePlan]
    work_items: list["WorkItemPlan"] = field(default_factory=list)
    incidents: list["IncidentPlan"] = field(default_factory=list)
    deploys_via: str = "deployments_api"  # delivery.deploys_via: deployments_api, actions, pushed_events, releases

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class TransitionPlan:
    at: int
    status: str  # To Do | In Progress | In Review | Done
    author: Person


@dataclass
class WorkItemPlan:
    """A Jira-like issue. `key` is filled in once the repository's items are numbered."""

    kind: str  # Story | Bug | Task | Customer Request
    summary: str
    created_at: int
    reporter: Person
    assignee: Person
    points: int | None
    labels: list[str]
    environment: str | None = None  # bugs: where they were found (production | staging)
    transitions: list[TransitionPlan] = field(default_factory=list)  # the first one is the creation
    pull: PullPlan | None = None
    mentions: list[str] = field(default_factory=list)  # per PR commit: "" | prefix | suffix | refs
    seq: int = 0
    number: int = 0
    key: str = ""
    sprint: str | None = None  # two-week sprints, from when work started


@dataclass
class IncidentPlan:
    """A PagerDuty-like incident on a service (= repository)."""

    created_at: int
    title: str
    severity: str
    urgency: str
    priority: str
    assignee: Person
    cause: DeployPlan | None  # the deployment that really caused it (None: unrelated to deploys)
    explicit: str  # what the incident itself carries about the cause: "" | deployment | sha
    log: list[tuple[str, int, Person | None]] = field(default_factory=list)  # (type, at, agent)
