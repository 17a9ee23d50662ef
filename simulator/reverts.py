"""Pull requests that revert an earlier one after it reached production, as GitHub's revert button makes them.

A few merged pull requests are reverted: most within hours of the production deployment that shipped them
(a change failure by METRICS.md "Reverts"), some days later (outside the attribution window: not one).
The revert is a pull request of its own, titled `Revert "<title>"`, whose body names the reverted one
(rows.py). The draws come from their own random stream, so every other draw of the repository is unchanged.
"""

import random

from simulator.org import Org
from simulator.plan import CommitPlan, DeployPlan, FileOp, PullPlan
from simulator.regressions import regression_week
from simulator.timeutil import DAY, WEEK, epoch

REVERTED_SHARE = 0.03  # of merged pull requests
LATE_SHARE = 0.25  # of reverts: made days after the deployment, outside the attribution window


def revert_pulls(org: Org, repo_name: str, pulls: list[PullPlan], deploys: list[DeployPlan], end: int) -> list:
    rng = random.Random(f"revert:{org.seed}:{repo_name}")
    # the alerts' weeks keep their designed answer (regressions.py): no revert lands near them
    quiet_from = epoch(org.profile.start) + (regression_week(org.profile.weeks) - 1) * WEEK
    out = []
    for pr in pulls:
        if pr.merged_at is None or rng.random() >= REVERTED_SHARE:
            continue
        # the deployment that ships it: the next of its service's chain (a monorepo's services deploy apart)
        shipped = sorted(d.at for d in deploys if d.environment == "production" and d.succeeded
                         and d.service == pr.service and d.rolls_back is None)  # fmt: skip (a rollback ships nothing)
        deployed = next((at for at in shipped if at >= pr.merged_at), None)
        if deployed is None:
            continue
        late = rng.random() < LATE_SHARE
        created = deployed + (rng.randrange(2 * DAY, 5 * DAY) if late else rng.randrange(3600, 6 * 3600))
        merged = created + rng.randrange(15 * 60, 2 * 3600)
        if merged >= min(end, quiet_from):
            continue
        out.append(_revert(pr, created, merged, rng))
    return out


def _revert(pr: PullPlan, created: int, merged: int, rng: random.Random) -> PullPlan:
    title = f'Revert "{pr.title}"'
    path = next(op.path for c in pr.commits for op in c.ops if op.kind != "binary")
    commit = CommitPlan(
        at=created - rng.randrange(5 * 60, 30 * 60),
        author=pr.author,
        email=pr.author.email,
        message=f"{title}\n",
        ops=[FileOp("edit", path, deleted=_lines(pr, path))],  # empties the file the pull request added
    )
    branch = f"revert-{pr.branch.rsplit('/', 1)[-1]}"
    revert = PullPlan(pr.author, created, title, branch, [commit], [], [], reverts=pr, service=pr.service)
    revert.merged_at = revert.closed_at = merged
    return revert


def _lines(pr: PullPlan, path: str) -> int:
    """The file's lines once the pull request merged (only its own commits ever touch its files)."""
    lines = 0
    for op in (op for c in pr.commits for op in c.ops if op.path == path):
        lines = op.added if op.kind == "new" else lines + op.added - op.deleted
    return lines
