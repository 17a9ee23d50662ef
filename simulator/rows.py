"""Turn a repository plan (with shas) into org.sqlite rows. Ids are derived, never random.

`cut` is the observation cutoff: the plan runs to the window end, the rows show what exists before
`cut`. Every id and random draw comes from the full plan, so an earlier cutoff shows a prefix of the
same org (same ids), not a different one.
"""

import json
import random

from simulator.delivery import RELEASES
from simulator.plan import CommitPlan, DeployPlan, PullPlan, RepoPlan
from simulator.pushed_events import VIA as PUSHED
from simulator.timeline import GITHUB_COMMITTER
from simulator.work import CATEGORY, DONE, TODO

ID_SPAN = 10_000_000  # each repository owns one block of ids per kind of object
KIND_OFFSET = {"pull": 0, "issue": 1, "review": 2, "deployment": 3, "status": 4, "run": 5, "release": 6,
               "work_item": 7, "incident": 8, "incident_log": 9}  # fmt: skip
LOG_SUMMARY = {"trigger_log_entry": "Triggered through the API: {title}", "escalate_log_entry": "Escalated to level 2",
               "acknowledge_log_entry": "Acknowledged", "resolve_log_entry": "Resolved"}  # fmt: skip


def repo_id(index: int) -> int:
    return 100_001 + index


def object_id(index: int, kind: str, n: int) -> int:
    return (index + 1) * ID_SPAN * 10 + KIND_OFFSET[kind] * ID_SPAN + n


def _before(at: int | None, cut: int) -> int | None:
    return at if at is not None and at < cut else None


def _commit_row(rid: int, c: CommitPlan, trees: dict[str, str], shas: dict[int, str], merged: set[int]) -> tuple:
    committer = GITHUB_COMMITTER if c.is_merge else (c.author.name, c.email)
    main_pos = c.main_pos if c.pr_number is None or c.pr_number in merged else None  # merge not made yet
    return (
        rid, c.sha, trees.get(c.sha, ""), " ".join(shas[m] for m in c.parents), c.author.pid,
        c.author.name, c.email, c.at, c.author.tz_offset, committer[0], committer[1], c.committer_at,
        0 if c.is_merge else c.author.tz_offset, c.message, int(main_pos is not None), main_pos,
        int(c.is_merge), c.additions, c.deletions, c.pr_number, int(c.assisted),
    )  # fmt: skip


def build_rows(plan: RepoPlan, commits: list[CommitPlan], trees: dict[str, str], seed: int, cut: int) -> dict:
    """`commits`: the observed commits (with shas); `plan`: the whole window, cut here at `cut`."""
    rng = random.Random(f"rows:{seed}:{plan.full_name}")
    rid, ix = repo_id(plan.index), plan.index
    shas = {c.mark: c.sha for c in commits}
    rows: dict[str, list[tuple]] = {k: [] for k in (
        "commits", "pulls", "pull_commits", "reviews", "deployments", "deployment_statuses",
        "workflow_runs", "releases", "issues", "work_items", "work_item_transitions", "incidents",
        "incident_log_entries")}  # fmt: skip
    merged = {pr.number for pr in plan.pulls if _before(pr.merged_at, cut) is not None}
    rows["commits"] = [_commit_row(rid, c, trees, shas, merged) for c in commits]

    reviews, runs = [], []
    for pr in plan.pulls:
        for c in pr.commits:  # every planned commit draws, observed or not, so later draws never shift
            created = c.at + rng.randrange(60, 180)
            ok = rng.random() < 0.92
            event = "pull_request" if c.at >= pr.created_at else "push"
            runs.append((created, "CI", pr.branch, c.mark, c, event, ok, created + rng.randrange(180, 600),
                         pr.author.pid, pr.number, c.at < cut))  # fmt: skip
        for r in pr.reviews:
            reviews.append((r.at, pr.number, r.reviewer.pid, r.state, r.commit.mark, r.commit))
        if pr.created_at < cut:
            _pull_rows(rid, ix, pr, cut, rows, plan.full_name)
    body = {"APPROVED": "LGTM", "CHANGES_REQUESTED": "Please add tests.", "COMMENTED": "A question."}
    for k, (at, number, who, state, _, commit) in enumerate(sorted(reviews, key=lambda r: r[:5]), start=1):
        if at < cut:
            rows["reviews"].append((rid, number, object_id(ix, "review", k), who, state, body[state], at, commit.sha))

    for k, d in enumerate(sorted(plan.deploys, key=lambda d: d.at), start=1):
        dep_id = object_id(ix, "deployment", k)
        runs.append((d.at - 60, deploy_workflow(plan, d), "main", 0, d.commit, "workflow_dispatch", d.succeeded,
                     d.at + d.duration, d.creator.pid, None, d.at < cut))  # fmt: skip
        if d.at >= cut:
            continue
        if plan.deploys_via == RELEASES and d.environment == "production" and not d.succeeded:
            continue  # a failed release build publishes nothing: no deployment happened
        # the deployments (and statuses) tables are what happened; the Deployments API serves only the rows
        # of repositories that deploy through it (repos.deploys_via)
        rows["deployments"].append(
            (rid, dep_id, d.sha, d.environment, d.creator.pid, d.at, None if d.untracked_sha else d.commit.main_pos,
             d.service)
        )
        final = "success" if d.succeeded else "failure"
        for j, (state, at) in enumerate((("in_progress", d.at + 20), (final, d.at + d.duration))):
            if at < cut:
                status_id = object_id(ix, "status", 2 * (k - 1) + j + 1)
                rows["deployment_statuses"].append((rid, dep_id, status_id, state, d.environment, d.creator.pid, at))
    _run_rows(rid, ix, runs, cut, rows)

    rows["releases"] = _release_rows(plan, cut) if plan.deploys_via == RELEASES else [
        (rid, object_id(ix, "release", k), r.tag, f"Release {r.tag}", f"Changes up to {r.commit.sha[:7]}.",
         r.author.pid, r.at, r.commit.sha, r.at, 0)
        for k, r in enumerate(plan.releases, start=1) if r.at < cut
    ]  # fmt: skip
    for s in plan.issues:
        if s.created_at >= cut:
            continue
        closed = _before(s.closed_at, cut)
        rows["issues"].append((rid, s.number, object_id(ix, "issue", s.number), s.author.pid, s.title,
                               "Steps to reproduce: ...", "closed" if closed else "open", s.created_at,
                               closed or s.created_at, closed, 0))  # fmt: skip
    _work_rows(plan, rows, cut)
    _incident_rows(plan, rows, cut)
    return rows


def _release_rows(plan: RepoPlan, cut: int) -> list[tuple]:
    """A repository that ships by releases (delivery.RELEASE_REPOSITORIES): each deploy is a release, a draft
    from its start until it finishes, published then (production: v1.N.0; staging: the prerelease v1.N.0-rc.1
    of the next production deploy); a production deploy that fails publishes nothing, its draft deleted."""
    rid, ix = repo_id(plan.index), plan.index
    out, n = [], 0
    for k, d in enumerate(sorted(plan.deploys, key=lambda d: d.at), start=1):
        production = d.environment == "production"
        tag = f"v1.{n + 1}.0" if production else f"v1.{n + 1}.0-rc.1"
        n += production
        if d.at >= cut or (production and not d.succeeded):
            continue
        published = _before(d.at + d.duration, cut)
        out.append((rid, object_id(ix, "release", k), tag, f"Release {tag}", f"Changes up to {d.commit.sha[:7]}.",
                    d.creator.pid, d.at, d.commit.sha, published, int(not production)))  # fmt: skip
    return out


def _pull_rows(rid: int, ix: int, pr: PullPlan, cut: int, rows: dict, full_name: str) -> None:
    """A PR as seen at `cut`: later commits and reviews not made yet, a later merge or close not yet."""
    closed = _before(pr.closed_at, cut)
    merged = pr.merged_at if closed is not None else None
    commits = [c for c in pr.commits if c.at < cut]
    times = [pr.created_at, *(c.at for c in commits), *(r.at for r in pr.reviews if r.at < cut), closed or 0]
    state = "closed" if closed else "open"
    requested = [] if closed else pr.requested
    body = f"This PR will {(pr.work_item.summary if pr.work_item else pr.title).lower()}."
    body += f"\n\nImplements {pr.work_item.key}." if pr.work_item else ""
    body += f"\n\n{pr.ai.body_marker}" if pr.ai and pr.ai.body_marker else ""
    if pr.reverts is not None:  # GitHub's revert button: the body names the reverted pull request
        body = f"Reverts {full_name}#{pr.reverts.number}"
    assignees = [pr.author.pid] if pr.ai and pr.ai.self_assigned else []  # an agent's PR: who assigned it
    rows["pulls"].append((
        rid, pr.number, object_id(ix, "pull", pr.number), pr.opener.pid, pr.title, body, state,
        int(pr.draft), pr.created_at, max(times), closed, merged,
        pr.merge_commit.sha if merged else None, pr.branch,
        commits[-1].sha, pr.base_commit.sha, json.dumps([p.pid for p in requested]), int(pr.assisted),
        len(commits), sum(c.additions for c in commits), sum(c.deletions for c in commits),
        json.dumps(assignees), json.dumps(list(pr.ai.labels) if pr.ai else []),
        json.dumps(list(pr.ai.signals) if pr.ai else []), pr.reverts.number if pr.reverts else None, pr.service,
    ))  # fmt: skip
    rows["issues"].append((
        rid, pr.number, object_id(ix, "issue", pr.number), pr.opener.pid, pr.title, body, state,
        pr.created_at, max(times), closed, 1,
    ))  # fmt: skip
    for pos, c in enumerate(commits):
        rows["pull_commits"].append((rid, pr.number, pos, c.sha))


WORKFLOW_NUMBERS = {"CI": 1, "Deploy": 2, "Deploy staging": 3}  # a repository's workflows: id = repo id * 10 + n


def deploy_workflow(plan: RepoPlan, deploy: DeployPlan) -> str:
    """The workflow that runs a deploy: one "Deploy" workflow where the Deployments API tells the environment,
    else "Deploy" for production and "Deploy staging" (a workflow run says nothing of environments)."""
    production_only = plan.deploys_via != "deployments_api"
    return "Deploy staging" if production_only and deploy.environment != "production" else "Deploy"


def _run_rows(rid: int, ix: int, runs: list[tuple], cut: int, rows: dict) -> None:
    """Run ids and numbers count every planned run; a run still going at `cut` is in progress."""
    from simulator.jobs import add_job_rows  # each run's jobs (imported here: only this function needs it)

    run_numbers = dict.fromkeys(WORKFLOW_NUMBERS, 0)
    for k, run in enumerate(sorted(runs, key=lambda r: r[:4]), start=1):
        created, name, branch, _, commit, event, ok, updated, actor, number, subject_exists = run
        run_numbers[name] += 1
        if created >= cut or not subject_exists:  # its commit or deployment does not exist yet
            continue
        done = updated < cut
        workflow_id = rid * 10 + WORKFLOW_NUMBERS[name]
        rows["workflow_runs"].append((
            rid, object_id(ix, "run", k), name, workflow_id, branch, commit.sha, event,
            "completed" if done else "in_progress", ("success" if ok else "failure") if done else None,
            run_numbers[name], created, updated if done else created, actor, number,
        ))  # fmt: skip
        add_job_rows(rows, rid, object_id(ix, "run", k), name, ok, created, updated, commit.sha, cut)


def _work_rows(plan: RepoPlan, rows: dict, cut: int) -> None:
    rid, ix = repo_id(plan.index), plan.index
    for k, w in enumerate(plan.work_items, start=1):
        if w.created_at >= cut:
            continue
        item_id = object_id(ix, "work_item", k)
        history = [t for t in w.transitions if t.at < cut]
        last = history[-1]
        resolved = last.at if last.status == DONE else None
        sprint = w.sprint if any(t.status != TODO for t in history) else None  # the sprint starts with the work
        pr_number = w.pull.number if w.pull and w.pull.created_at < cut else None
        rows["work_items"].append((
            item_id, w.key, w.key.rsplit("-", 1)[0], w.number, w.kind, w.summary, w.environment, last.status,
            CATEGORY[last.status], w.created_at, last.at, resolved, w.reporter.pid, w.assignee.pid, w.points,
            sprint, json.dumps(w.labels), rid, pr_number,
        ))  # fmt: skip
        previous = None
        for seq, t in enumerate(history):
            rows["work_item_transitions"].append(
                (item_id, seq, previous, t.status, CATEGORY[t.status], t.at, t.author.pid)
            )
            previous = t.status


def _incident_rows(plan: RepoPlan, rows: dict, cut: int) -> None:
    rid, ix = repo_id(plan.index), plan.index
    deployment_ids = {id(d): object_id(ix, "deployment", k)
                      for k, d in enumerate(sorted(plan.deploys, key=lambda d: d.at), start=1)}  # fmt: skip
    log_n = 0
    for k, inc in enumerate(plan.incidents, start=1):
        first_log, log_n = log_n, log_n + len(inc.log)  # log ids count every planned entry
        if inc.created_at >= cut:
            continue
        inc_id = object_id(ix, "incident", k)
        log = [(n, entry) for n, entry in enumerate(inc.log, start=first_log + 1) if entry[1] < cut]
        times = {kind: at for _, (kind, at, _) in log}
        resolved, acked = times.get("resolve_log_entry"), times.get("acknowledge_log_entry")
        status = "resolved" if resolved else "acknowledged" if acked else "triggered"
        cause = deployment_ids[id(inc.cause)] if inc.cause else None
        explicit = inc.explicit
        if explicit == "deployment" and plan.deploys_via not in ("deployments_api", PUSHED):
            explicit = "sha"  # no deployment id to name: the alert names the commit it shipped
        # a monorepo's incident is its cause's service's (pushed_events.py names it); else the repository's
        service = inc.cause.service if inc.cause and inc.cause.service else plan.full_name
        rows["incidents"].append((
            inc_id, 0, rid, service, inc.title, status, inc.severity, inc.urgency, inc.priority,
            inc.created_at, acked, resolved, log[-1][1][1], inc.assignee.pid,
            int("escalate_log_entry" in times), cause if explicit == "deployment" else None,
            inc.cause.sha if inc.cause and explicit == "sha" else None, cause,
        ))  # fmt: skip
        for n, (kind, at, agent) in log:
            summary = LOG_SUMMARY[kind].format(title=inc.title)
            rows["incident_log_entries"].append(
                (object_id(ix, "incident_log", n), inc_id, kind, at, agent.pid if agent else None, summary)
            )
