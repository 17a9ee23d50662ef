"""Turn a repository plan (with shas) into org.sqlite rows. Ids are derived, never random."""

import json
import random

from simulator.plan import CommitPlan, RepoPlan
from simulator.timeline import GITHUB_COMMITTER
from simulator.work import CATEGORY, DONE

ID_SPAN = 10_000_000  # each repository owns one block of ids per kind of object
KIND_OFFSET = {"pull": 0, "issue": 1, "review": 2, "deployment": 3, "status": 4, "run": 5, "release": 6,
               "work_item": 7, "incident": 8, "incident_log": 9}  # fmt: skip


def repo_id(index: int) -> int:
    return 100_001 + index


def object_id(index: int, kind: str, n: int) -> int:
    return (index + 1) * ID_SPAN * 10 + KIND_OFFSET[kind] * ID_SPAN + n


def _commit_row(rid: int, c: CommitPlan, trees: dict[str, str], shas: dict[int, str]) -> tuple:
    committer = GITHUB_COMMITTER if c.is_merge else (c.author.name, c.email)
    return (
        rid, c.sha, trees.get(c.sha, ""), " ".join(shas[m] for m in c.parents), c.author.pid,
        c.author.name, c.email, c.at, c.author.tz_offset, committer[0], committer[1], c.committer_at,
        0 if c.is_merge else c.author.tz_offset, c.message, int(c.main_pos is not None), c.main_pos,
        int(c.is_merge), c.additions, c.deletions, c.pr_number, int(c.assisted),
    )  # fmt: skip


def build_rows(plan: RepoPlan, commits: list[CommitPlan], trees: dict[str, str], seed: int) -> dict:
    rng = random.Random(f"rows:{seed}:{plan.full_name}")
    rid, ix = repo_id(plan.index), plan.index
    shas = {c.mark: c.sha for c in commits}
    rows: dict[str, list[tuple]] = {k: [] for k in (
        "commits", "pulls", "pull_commits", "reviews", "deployments", "deployment_statuses",
        "workflow_runs", "releases", "issues", "work_items", "work_item_transitions", "incidents",
        "incident_log_entries")}  # fmt: skip
    rows["commits"] = [_commit_row(rid, c, trees, shas) for c in commits]

    reviews, runs = [], []
    for pr in plan.pulls:
        state = "closed" if pr.closed_at else "open"
        head = pr.commits[-1]
        body = f"This PR will {(pr.work_item.summary if pr.work_item else pr.title).lower()}."
        body += f"\n\nImplements {pr.work_item.key}." if pr.work_item else ""
        rows["pulls"].append((
            rid, pr.number, object_id(ix, "pull", pr.number), pr.author.pid, pr.title, body, state,
            int(pr.draft), pr.created_at, pr.updated_at, pr.closed_at, pr.merged_at,
            pr.merge_commit.sha if pr.merge_commit else None, pr.branch,
            head.sha, pr.base_commit.sha, json.dumps([p.pid for p in pr.requested]), int(pr.assisted),
            len(pr.commits), sum(c.additions for c in pr.commits), sum(c.deletions for c in pr.commits),
        ))  # fmt: skip
        rows["issues"].append((
            rid, pr.number, object_id(ix, "issue", pr.number), pr.author.pid, pr.title, body, state,
            pr.created_at, pr.updated_at, pr.closed_at, 1,
        ))  # fmt: skip
        for pos, c in enumerate(pr.commits):
            rows["pull_commits"].append((rid, pr.number, pos, c.sha))
            created = c.at + rng.randrange(60, 180)
            event = "pull_request" if c.at >= pr.created_at else "push"
            ok = rng.random() < 0.92
            runs.append((created, "CI", pr.branch, c.sha, event, ok, created + rng.randrange(180, 600),
                         pr.author.pid, pr.number))
        for r in pr.reviews:
            body = {"APPROVED": "LGTM", "CHANGES_REQUESTED": "Please add tests.", "COMMENTED": "A question."}
            reviews.append((r.at, pr.number, r.reviewer.pid, r.state, body[r.state], r.commit.sha))
    for k, (at, number, who, state, body, sha) in enumerate(sorted(reviews), start=1):
        rows["reviews"].append((rid, number, object_id(ix, "review", k), who, state, body, at, sha))

    status_n, deployment_ids = 0, {}
    for k, d in enumerate(sorted(plan.deploys, key=lambda d: d.at), start=1):
        dep_id = deployment_ids[id(d)] = object_id(ix, "deployment", k)
        rows["deployments"].append(
            (rid, dep_id, d.commit.sha, d.environment, d.creator.pid, d.at, d.commit.main_pos)
        )
        final = "success" if d.succeeded else "failure"
        for state, at in (("in_progress", d.at + 20), (final, d.at + d.duration)):
            status_n += 1
            rows["deployment_statuses"].append(
                (rid, dep_id, object_id(ix, "status", status_n), state, d.environment, d.creator.pid, at)
            )
        runs.append((d.at - 60, "Deploy", "main", d.commit.sha, "workflow_dispatch", d.succeeded,
                     d.at + d.duration, d.creator.pid, None))
    run_numbers = {"CI": 0, "Deploy": 0}
    for k, (created, name, branch, sha, event, ok, updated, actor, number) in enumerate(sorted(runs), 1):
        run_numbers[name] += 1
        workflow_id = rid * 10 + (1 if name == "CI" else 2)
        rows["workflow_runs"].append((
            rid, object_id(ix, "run", k), name, workflow_id, branch, sha, event, "completed",
            "success" if ok else "failure", run_numbers[name], created, updated, actor, number,
        ))  # fmt: skip

    for k, r in enumerate(plan.releases, start=1):
        rows["releases"].append((rid, object_id(ix, "release", k), r.tag, f"Release {r.tag}",
                                 f"Changes up to {r.commit.sha[:7]}.", r.author.pid, r.at, r.commit.sha))
    for s in plan.issues:
        state = "closed" if s.closed_at else "open"
        rows["issues"].append((rid, s.number, object_id(ix, "issue", s.number), s.author.pid, s.title,
                               "Steps to reproduce: ...", state, s.created_at, s.closed_at or s.created_at,
                               s.closed_at, 0))
    _work_rows(plan, rows)
    _incident_rows(plan, rows, deployment_ids)
    return rows


def _work_rows(plan: RepoPlan, rows: dict) -> None:
    rid, ix = repo_id(plan.index), plan.index
    for k, w in enumerate(plan.work_items, start=1):
        item_id = object_id(ix, "work_item", k)
        last = w.transitions[-1]
        resolved = last.at if last.status == DONE else None
        rows["work_items"].append((
            item_id, w.key, w.key.rsplit("-", 1)[0], w.number, w.kind, w.summary, w.environment, last.status,
            CATEGORY[last.status], w.created_at, last.at, resolved, w.reporter.pid, w.assignee.pid, w.points,
            w.sprint, json.dumps(w.labels), rid, w.pull.number if w.pull else None,
        ))  # fmt: skip
        previous = None
        for seq, t in enumerate(w.transitions):
            rows["work_item_transitions"].append(
                (item_id, seq, previous, t.status, CATEGORY[t.status], t.at, t.author.pid)
            )
            previous = t.status


def _incident_rows(plan: RepoPlan, rows: dict, deployment_ids: dict[int, int]) -> None:
    rid, ix = repo_id(plan.index), plan.index
    log_n = 0
    for k, inc in enumerate(plan.incidents, start=1):
        inc_id = object_id(ix, "incident", k)
        times = {kind: at for kind, at, _ in inc.log}
        resolved, acked = times.get("resolve_log_entry"), times.get("acknowledge_log_entry")
        status = "resolved" if resolved else "acknowledged" if acked else "triggered"
        cause = deployment_ids[id(inc.cause)] if inc.cause else None
        rows["incidents"].append((
            inc_id, 0, rid, plan.full_name, inc.title, status, inc.severity, inc.urgency, inc.priority,
            inc.created_at, acked, resolved, inc.log[-1][1], inc.assignee.pid,
            int("escalate_log_entry" in times), cause if inc.explicit == "deployment" else None,
            inc.cause.commit.sha if inc.cause and inc.explicit == "sha" else None, cause,
        ))  # fmt: skip
        for kind, at, agent in inc.log:
            log_n += 1
            summary = {"trigger_log_entry": f"Triggered through the API: {inc.title}",
                       "escalate_log_entry": "Escalated to level 2", "acknowledge_log_entry": "Acknowledged",
                       "resolve_log_entry": "Resolved"}[kind]  # fmt: skip
            rows["incident_log_entries"].append(
                (object_id(ix, "incident_log", log_n), inc_id, kind, at, agent.pid if agent else None, summary)
            )
