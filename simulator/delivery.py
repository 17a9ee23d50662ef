"""How a team's delivery system behaves: review speed, CI and merge delay, deploy cadence.

This is where the story lives. AI adoption speeds up coding everywhere (shorter gaps between a PR's
commits, more PRs), but lead time only improves where coding was the slow stage. Each demo team is held
up by a different stage, so the bottleneck report gives different answers:
- `good` (checkout): fast reviews, continuous deployment; coding is the bottleneck until AI shortens it,
  then the approval → merge wait (CI and the merge queue) is. It gets faster.
- `slow` (ledger): reviews take a day or more and the queue grows with AI-boosted volume: review-bound,
  busier, not faster.
- `medium` (growth): a weekly release train: deploy-bound.
Org-wide, reviews speed up over the window (review_trend): a naive before/after of any adopting team
credits that to AI; difference-in-differences against the teams that had not adopted removes it.
"""

from dataclasses import dataclass

EVERY_4_HOURS = tuple((hour, 30) for hour in range(0, 24, 4))


@dataclass(frozen=True)
class DeliverySystem:
    review_wait_hours: float  # mean wait for the first review (at the start of the window)
    review_load_factor: float  # review wait multiplier once the team opens AI-boosted volume
    merge_delay_hours: float  # mean wait from approval to merge: CI runs and the merge queue
    deploy_weekdays: tuple[int, ...]  # 0 = Monday
    deploy_times_utc: tuple[tuple[int, int], ...]  # (hour, minute) of each production deploy
    # How a deploy is seen: "deployments_api" (a GitHub Deployment with statuses, and a Deploy workflow run),
    # "actions" (only workflow runs: "Deploy" for production, "Deploy staging"; the warehouse's config says
    # which workflow deploys) or "pushed_events" (workflow runs as for actions, and the deploy tool's events
    # in a drop folder, simulator/pushed_events.py: the config reads deployments from those). A repository in
    # RELEASE_REPOSITORIES deploys via "releases" instead, whatever its team's system.
    deploys_via: str = "deployments_api"


SYSTEMS = {
    "good": DeliverySystem(2.0, 1.0, 6.0, (0, 1, 2, 3, 4, 5, 6), EVERY_4_HOURS),
    "medium": DeliverySystem(4.0, 1.2, 1.0, (1,), ((14, 0),), deploys_via="pushed_events"),
    "slow": DeliverySystem(36.0, 1.8, 2.0, (0, 1, 2, 3, 4), ((10, 0), (16, 0)), deploys_via="actions"),
}

# Repositories (by name) that ship by publishing GitHub releases, on their team's cadence: a production deploy
# that succeeds is a release published when it finishes (a draft while it runs), at a `v1.N.0` tag on the
# sha it deploys; a staging deploy is a prerelease (`v1.N.0-rc.1`); a deploy that fails publishes nothing
# (the draft is deleted), so these repositories have no failed attempts. Growth's second repository (demo
# only: tiny has one repository per team), so every team's story keeps its own path.
RELEASE_REPOSITORIES = frozenset({"growth-experiments"})
RELEASES = "releases"


# Monorepos (by name): services that each deploy on their own weekday at the team's deploy times, a pull
# request belonging to the service of its area (repo_sim.AREAS; every area is one service's). Growth's first
# repository (tiny has it too), so the end-to-end tests see three independent deployment chains in one
# repository; the deploy tool's events name the service (pushed_events.py), the config its paths.
MONOREPOS = {
    "growth-site": (
        ("growth-web", 1, ("web", "ui")),
        ("growth-api", 2, ("api", "auth", "billing")),
        ("growth-jobs", 3, ("jobs", "storage", "core")),
    ),
}


# Repositories (by name) whose deployments are seen from their second week only, the first of them a build
# of a commit their history does not hold (deployed from a branch later force-pushed away): what it and the
# next deployment shipped is unknown, so the first week's changes are deployed without a lead time rather
# than credited to that next deployment (METRICS.md "Untracked shas"). checkout-api is in tiny too.
UNTRACKED_FIRST_DEPLOYMENT = frozenset({"checkout-api"})


# Repositories (by name) that deploy each successful production sha to a second region 15-40 minutes after
# it finished (3% of those copies fail there): the warehouse counts the sha once (METRICS.md "One sha in
# several production environments counts once"); the config lists both production environments.
SECOND_REGIONS = {"checkout-api": "production-eu"}

# Repositories (by name) whose deploy tool rolls back this share of successful production deploys (its
# health check failed) to the last older commit production ran: a change failure, recovered at the
# rollback (METRICS.md "Outcomes"); the second region mirrors the rollback too.
ROLLBACK_SHARE = {"checkout-api": 0.02}
PRODUCTION_ENVIRONMENTS = ("production", "production-eu")


def services(repo_name: str) -> tuple[tuple[str, int, tuple[str, ...]], ...]:
    """(service, deploy weekday, areas) of a monorepo; empty for a repository that is one service."""
    return MONOREPOS.get(repo_name, ())


def service_of_area(repo_name: str, area: str) -> str | None:
    return next((name for name, _, areas in services(repo_name) if area in areas), None)


def service_paths(areas: tuple[str, ...]) -> list[str]:
    """The config's path globs of a service (repo_sim writes a pull request's files under src/<area>/)."""
    return [f"src/{area}/*" for area in areas]


def deploys_via(system: DeliverySystem, repo_name: str) -> str:
    """How a repository's deploys are seen: its team's system's way, unless it ships by releases."""
    return RELEASES if repo_name in RELEASE_REPOSITORIES else system.deploys_via


# Review waits shrink linearly over the window, to this share of their start value in the last week.
REVIEW_TREND_END = 0.6

# Coding: mean hours between a PR's commits (all made before it opens), before and after the author adopts.
COMMIT_GAP_HOURS = 12.0
COMMIT_GAP_HOURS_ASSISTED = 1.0
AI_PR_RATE_MULTIPLIER = 2.0
ADOPTING_SHARE = 0.8  # of a team's engineers, each from the adoption week plus a lag of 0..2 weeks
ASSISTED_TRAILER_SHARE = 0.45
COPILOT_TRAILER = "Co-authored-by: GitHub Copilot <copilot@github.com>"


def review_trend(week: int, weeks: int) -> float:
    """The org-wide review wait multiplier of `week`: 1.0 in the first week, REVIEW_TREND_END in the last."""
    return 1.0 - (1.0 - REVIEW_TREND_END) * week / max(1, weeks - 1)


def designed_pr_rate_change() -> float:
    """The designed effect of adoption on a team's PRs per engineer-week, once every adopter has started."""
    return ADOPTING_SHARE * (AI_PR_RATE_MULTIPLIER - 1.0)
