"""Put a repository's events in time order: numbers, branch points, merge commits, deploy shas."""

from simulator.plan import CommitPlan, RepoPlan

GITHUB_COMMITTER = ("GitHub", "noreply@github.com")


def number_items(plan: RepoPlan) -> None:
    """PRs and issues share one number sequence, in creation order (as on GitHub)."""
    items = [(p.created_at, 0, i, p) for i, p in enumerate(plan.pulls)]
    items += [(s.created_at, 1, i, s) for i, s in enumerate(plan.issues)]
    for n, (*_, item) in enumerate(sorted(items, key=lambda t: t[:3]), start=1):
        item.number = n


def order_commits(plan: RepoPlan) -> list[CommitPlan]:
    """Return every commit in write order, with parents (marks) and main positions filled in.

    Main only moves forward through `--no-ff` merges, so a merge commit at main position k is
    reachable from a deployment exactly when the deployment's main position is >= k.
    """
    number_items(plan)
    events = []
    for pi, pr in enumerate(plan.pulls):
        for ci, c in enumerate(pr.commits):
            events.append((c.at, 0, pi, ci, "commit", pr, c))
        if pr.merged_at is not None:
            events.append((pr.merged_at, 1, pi, 0, "merge", pr, None))
    for di, d in enumerate(plan.deploys):
        events.append((d.at, 2, di, 0, "deploy", d, None))
    for ri, r in enumerate(plan.releases):
        events.append((r.at, 2, ri, 1, "release", r, None))
    events.sort(key=lambda e: e[:4])

    mark = 1
    root = plan.root
    root.mark, root.main_pos, root.committer_at = mark, 0, root.at
    ordered, head, pos = [root], root, 0
    released: dict[str | None, list[CommitPlan]] = {}  # per service: the commits production deployed, in order
    for _at, _prio, _i, ci, kind, obj, commit in events:
        if kind == "commit":
            if ci == 0:
                obj.base_commit = head
            mark += 1
            commit.mark = mark
            commit.pr_number = obj.number
            commit.committer_at = commit.at
            commit.parents = [head.mark if ci == 0 else obj.commits[ci - 1].mark]
            ordered.append(commit)
        elif kind == "merge":
            mark, pos = mark + 1, pos + 1
            tip = obj.commits[-1]
            merge = CommitPlan(
                at=obj.merged_at,
                author=obj.author,
                email=obj.author.email,
                message=f"Merge pull request #{obj.number} from {plan.owner}/{obj.branch}\n\n{obj.title}\n",
                ops=[],
                pr_number=obj.number,
                is_merge=True,
                committer_at=obj.merged_at,
                mark=mark,
                parents=[head.mark, tip.mark],
                main_pos=pos,
            )
            for c in obj.commits:
                c.main_pos = pos
            obj.merge_commit = merge
            ordered.append(merge)
            head = merge
        elif kind == "deploy" and obj.ships is not None:  # a region's copy deploys what its original did
            obj.commit = obj.ships.commit
        elif kind == "deploy" and obj.rolls_back is not None:  # the last older commit; none: a redeploy
            own = obj.rolls_back.commit
            obj.commit = next((c for c in reversed(released.get(obj.service, [])) if c.main_pos < own.main_pos), own)
        else:
            obj.commit = head
        if kind == "deploy" and obj.environment == "production" and obj.succeeded and not obj.untracked_sha:
            released.setdefault(obj.service, []).append(obj.commit)
    for pr in plan.pulls:
        for review in pr.reviews:
            before = [c for c in pr.commits if c.at <= review.at]
            review.commit = before[-1] if before else pr.commits[0]
    return ordered


def observed_commits(commits: list[CommitPlan], cut: int) -> list[CommitPlan]:
    """The commits that exist at `cut` (root, PR commits and merges made before it), in write order.

    Events are ordered by time, so this is a prefix of the write order: marks, file contents and so
    every sha are the same as in the full history. A parent is always older than its child.
    """
    return [c for c in commits if c.committer_at < cut or not c.parents]
