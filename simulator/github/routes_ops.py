"""Endpoints for workflow runs and their jobs, deployments and their statuses, releases and issues."""

from simulator.github import shapes_ops as so
from simulator.github.api_base import NotFound, Reply, Request, error, find_repo, list_reply, listing, sort_direction
from simulator.github.filters import created_range, since_until
from simulator.github.shapes_core import repository


# -- actions, deployments, releases, issues ----------------------------------------------------
def list_runs(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    where, params = ["w.repo_id = ?"], [repo["id"]]
    try:
        low, high = created_range(req.query.get("created"))
    except ValueError:
        return error(422, "Invalid created filter")
    for cond, value in (("w.created_at >= ?", low), ("w.created_at <= ?", high)):
        if value is not None:
            where.append(cond)
            params.append(value)
    for key, column in (("event", "w.event"), ("branch", "w.head_branch"), ("head_sha", "w.head_sha")):
        if req.query.get(key):
            where.append(f"{column} = ?")
            params.append(req.query[key])
    status = req.query.get("status")
    if status:
        where.append("(w.status = ? OR w.conclusion = ?)")
        params += [status, status]
    sql = f"""SELECT w.*, c.tree_sha, c.message, c.committer_at, c.author_name, c.author_email,
                     c.committer_name, c.committer_email, p.id AS pr_id, p.base_sha AS pr_base_sha
              FROM workflow_runs w
              LEFT JOIN commits c ON c.repo_id = w.repo_id AND c.sha = w.head_sha
              LEFT JOIN pulls p ON p.repo_id = w.repo_id AND p.number = w.pr_number
              WHERE {" AND ".join(where)} ORDER BY w.created_at DESC, w.id DESC"""
    repo_json = repository(req.urls, repo)
    items, total, headers = listing(req, sql, params,
                                     lambda r: so.workflow_run(req.urls, req.directory, repo_json, r))  # fmt: skip
    return Reply(200, {"total_count": total, "workflow_runs": items}, headers)


# Only repositories that deploy through the Deployments API have Deployments; the others deploy from
# workflow runs alone (repos.deploys_via), so their deployments rows are the truth, never served.
DEPLOYMENT_SQL = """SELECT d.*, (SELECT max(s.created_at) FROM deployment_statuses s
                    WHERE s.deployment_id = d.id) AS updated_at FROM deployments d
                    JOIN repos r ON r.id = d.repo_id AND r.deploys_via = 'deployments_api'"""


def list_deployments(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    where, params = ["d.repo_id = ?"], [repo["id"]]
    for key, column in (("sha", "d.sha"), ("environment", "d.environment")):
        if req.query.get(key):
            where.append(f"{column} = ?")
            params.append(req.query[key])
    if req.query.get("ref") not in (None, "main", "refs/heads/main") or req.query.get("task") not in (None, "deploy"):
        where.append("0")
    sql = f"{DEPLOYMENT_SQL} WHERE {' AND '.join(where)} ORDER BY d.created_at DESC, d.id DESC"
    return list_reply(req, sql, params, lambda r: so.deployment(req.urls, req.directory, repo["full_name"], r))


def _deployment_row(req: Request, repo, dep_id: str):
    row = req.conn.execute(f"{DEPLOYMENT_SQL} WHERE d.repo_id = ? AND d.id = ?", (repo["id"], int(dep_id))).fetchone()
    if row is None:
        raise NotFound
    return row


def get_deployment(req: Request, owner: str, name: str, dep_id: str) -> Reply:
    repo = find_repo(req, owner, name)
    return Reply(200, so.deployment(req.urls, req.directory, repo["full_name"], _deployment_row(req, repo, dep_id)))


def list_deployment_statuses(req: Request, owner: str, name: str, dep_id: str) -> Reply:
    repo = find_repo(req, owner, name)
    _deployment_row(req, repo, dep_id)
    sql = "SELECT * FROM deployment_statuses WHERE deployment_id = ? ORDER BY created_at DESC, id DESC"
    return list_reply(req, sql, [int(dep_id)],
                 lambda r: so.deployment_status(req.urls, req.directory, repo["full_name"], r))  # fmt: skip


def list_releases(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    sql = "SELECT * FROM releases WHERE repo_id = ? ORDER BY created_at DESC, id DESC"
    return list_reply(req, sql, [repo["id"]], lambda r: so.release(req.urls, req.directory, repo["full_name"], r))


# A published release's tag exists (a draft's is made when it is published); GitHub lists tags by name, newest
# version first: here by name, descending.
def list_tags(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    sql = "SELECT tag_name, sha FROM releases WHERE repo_id = ? AND published_at IS NOT NULL ORDER BY tag_name DESC"
    return list_reply(req, sql, [repo["id"]], lambda r: so.tag(req.urls, repo["full_name"], r))


def list_issues(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    where, params = ["i.repo_id = ?"], [repo["id"]]
    state = req.query.get("state", "open")
    if state in ("open", "closed"):
        where.append("i.state = ?")
        params.append(state)
    since, _ = since_until(req.query)
    if since is not None:
        where.append("i.updated_at >= ?")
        params.append(since)
    sort = req.query.get("sort", "created")
    column = "i.updated_at" if sort == "updated" else "i.created_at"
    direction = sort_direction(req, "desc")
    sql = f"""SELECT i.*, p.draft, p.merged_at FROM issues i
              LEFT JOIN pulls p ON i.is_pull = 1 AND p.repo_id = i.repo_id AND p.number = i.number
              WHERE {" AND ".join(where)} ORDER BY {column} {direction}, i.number {direction}"""
    return list_reply(req, sql, params, lambda r: so.issue(req.urls, req.directory, repo["full_name"], r))



JOB_FILTERS = ("latest", "all")  # latest (GitHub's default): the run's most recent attempt; all: every attempt


def list_jobs(req: Request, owner: str, name: str, run_id: str) -> Reply:
    repo = find_repo(req, owner, name)
    run = req.conn.execute("SELECT id FROM workflow_runs WHERE repo_id = ? AND id = ?", (repo["id"], int(run_id)))
    if run.fetchone() is None:
        raise NotFound
    job_filter = req.query.get("filter", "latest")
    if job_filter not in JOB_FILTERS:
        return error(422, f"Invalid filter: {job_filter!r} is not one of {', '.join(JOB_FILTERS)}")
    latest = " AND j.run_attempt = (SELECT max(run_attempt) FROM workflow_jobs WHERE run_id = j.run_id)"
    sql = f"""SELECT j.*, w.name AS workflow_name, w.head_branch, w.head_sha
              FROM workflow_jobs j JOIN workflow_runs w ON w.id = j.run_id
              WHERE j.run_id = ?{latest if job_filter == "latest" else ""} ORDER BY j.id"""
    items, total, headers = listing(req, sql, [int(run_id)], lambda r: so.workflow_job(req.urls, repo["full_name"], r))
    return Reply(200, {"total_count": total, "jobs": items}, headers)
