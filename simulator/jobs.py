"""GitHub Actions jobs of one workflow run, as org.sqlite rows (table workflow_jobs).

A CI run has `build` then `test` (test needs build); a Deploy run has one `deploy` job whose step
"Deploy to <environment>" names where it shipped (a workflow run itself says nothing of environments).
Every job waits in the queue (created_at -> started_at) and then runs (started_at -> completed_at); the
run's last job ends at the run's updated_at. A failed run has exactly one failed job (a failed build skips test).

The whole plan is drawn from the run alone (its id, sha and times, which the seed decides), never from
`cut`: an earlier cutoff shows a prefix of the same jobs, with a job not started by the cut queued and one
not finished by the cut in progress.
"""

import json
import random
from dataclasses import dataclass, field

RUNNER_LABELS = json.dumps(["ubuntu-latest"])
JOBS_PER_RUN = 10  # job id = run id * JOBS_PER_RUN + position: unique, and stable for every cutoff


@dataclass
class StepPlan:
    name: str
    started: int
    completed: int
    conclusion: str


@dataclass
class JobPlan:
    name: str
    created: int
    started: int
    completed: int
    conclusion: str
    runner: int
    steps: list[StepPlan] = field(default_factory=list)


def _steps(rng: random.Random, main: list[str], started: int, completed: int, failed: bool) -> list[StepPlan]:
    """Set-up and checkout take seconds, the main steps share the rest; a failure is the last main step's."""
    names = ["Set up job", "Run actions/checkout@v4", *main, "Complete job"]
    fixed = [rng.randint(1, 3), rng.randint(1, 4)]
    complete = rng.randint(0, 1)
    rest = max(0, completed - started - sum(fixed) - complete)
    shares = [rng.uniform(0.15, 0.4) * rest for _ in main[:-1]]
    durations = [*fixed, *(int(s) for s in shares), rest - sum(int(s) for s in shares), complete]
    steps, at = [], started
    for position, (name, duration) in enumerate(zip(names, durations, strict=True)):
        end = min(at + duration, completed)
        is_failing = failed and position == len(names) - 2
        steps.append(StepPlan(name, at, end, "failure" if is_failing else "success"))
        at = end
    return steps


def plan_jobs(run_id: int, name: str, ok: bool, created: int, updated: int, sha: str, environment: str) -> list:
    rng = random.Random(f"jobs:{run_id}:{sha}:{created}:{updated}")
    total = updated - created
    if name.startswith("Deploy"):  # "Deploy", or "Deploy staging" where a workflow per environment runs it
        queue = rng.randint(2, min(30, max(2, total // 4)))
        job = JobPlan("deploy", created, created + queue, updated, "success" if ok else "failure", rng.randint(1, 60))
        job.steps = _steps(rng, [f"Deploy to {environment}"], job.started, updated, not ok)
        return [job]
    build_fails = rng.random() < 0.3  # drawn for every run, so the draws after it never shift
    queues = [rng.randint(2, min(20, max(2, total // 10))) for _ in range(2)]
    build_share = rng.uniform(0.3, 0.5)
    build_started = created + queues[0]
    if not ok and build_fails:
        build = JobPlan("build", created, build_started, updated, "failure", rng.randint(1, 60))
        build.steps = _steps(rng, ["Install dependencies", "Build"], build_started, updated, True)
        test = JobPlan("test", updated, updated, updated, "skipped", 0)  # needs: build, so never ran
        return [build, test]
    build_done = build_started + int((total - sum(queues)) * build_share)
    build = JobPlan("build", created, build_started, build_done, "success", rng.randint(1, 60))
    build.steps = _steps(rng, ["Install dependencies", "Build"], build_started, build_done, False)
    test = JobPlan("test", build_done, build_done + queues[1], updated, "success" if ok else "failure",
                   rng.randint(1, 60))  # fmt: skip
    test.steps = _steps(rng, ["Install dependencies", "Run tests"], test.started, updated, not ok)
    return [build, test]


def _status(started: int, completed: int, cut: int) -> str:
    return "completed" if completed < cut else "in_progress" if started < cut else "queued"


def _step_json(number: int, step: StepPlan, cut: int) -> dict:
    status = _status(step.started, step.completed, cut)
    return {
        "name": step.name, "status": status, "conclusion": step.conclusion if status == "completed" else None,
        "number": number, "started_at": step.started if status != "queued" else None,
        "completed_at": step.completed if status == "completed" else None,
    }  # fmt: skip


def job_rows(rid: int, run_id: int, name: str, ok: bool, created: int, updated: int, sha: str, environment: str,
             cut: int) -> list[tuple]:  # fmt: skip
    """The run's jobs as seen at `cut`: a job exists once created (a dependent job when its needs finish)."""
    rows = []
    for position, job in enumerate(plan_jobs(run_id, name, ok, created, updated, sha, environment), start=1):
        if job.created >= cut:
            continue
        status = _status(job.started, job.completed, cut)
        ran = status != "queued" and job.conclusion != "skipped"
        steps = [_step_json(n, step, cut) for n, step in enumerate(job.steps, start=1)] if ran else []
        rows.append((
            rid, run_id, run_id * JOBS_PER_RUN + position, 1, job.name, status,
            job.conclusion if status == "completed" else None, job.created,
            job.started if status != "queued" else None, job.completed if status == "completed" else None,
            f"GitHub Actions {job.runner}" if ran else None, RUNNER_LABELS, json.dumps(steps),
        ))  # fmt: skip
    return rows


def _environment(rows: dict, name: str, sha: str, created: int, updated: int) -> str:
    """The environment of the deployment this run made (same commit, within the run), else by its name."""
    for deployment in rows.get("deployments", []):  # (repo_id, id, sha, environment, creator_id, created_at, ...)
        if deployment[2] == sha and created <= deployment[5] <= updated:
            return deployment[3]
    return "staging" if "staging" in name.lower() else "production"


def add_job_rows(rows: dict, rid: int, run_id: int, name: str, ok: bool, created: int, updated: int, sha: str,
                 cut: int) -> None:  # fmt: skip
    """Append the run's jobs to rows["workflow_jobs"] (the deployments rows tell a Deploy run's environment)."""
    environment = _environment(rows, name, sha, created, updated) if name.startswith("Deploy") else ""
    rows.setdefault("workflow_jobs", []).extend(
        job_rows(rid, run_id, name, ok, created, updated, sha, environment, cut)
    )
