"""Endpoints for repositories, commits, pull requests, reviews and PR commits."""

from simulator.github import shapes_code as sc
from simulator.github.api_base import DOCS, NotFound, Reply, Request, error, find_repo, list_reply, sort_direction
from simulator.github.filters import since_until
from simulator.github.shapes_core import repository


# -- repositories ------------------------------------------------------------------------------
def org_repos(req: Request, org: str) -> Reply:
    if org.lower() != req.directory.org.lower():
        raise NotFound
    sort = {"full_name": "full_name", "pushed": "pushed_at", "updated": "pushed_at"}.get(
        req.query.get("sort", "created"), "created_at"
    )
    direction = sort_direction(req, "asc" if sort == "full_name" else "desc")
    sql = f"SELECT * FROM repos ORDER BY {sort} {direction}, id {direction}"
    return list_reply(req, sql, [], lambda r: repository(req.urls, r))


def get_repo(req: Request, owner: str, name: str) -> Reply:
    return Reply(200, repository(req.urls, find_repo(req, owner, name), full=True))


# -- commits -----------------------------------------------------------------------------------
def list_commits(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    where, params = ["repo_id = ?", "on_main = 1"], [repo["id"]]
    ref = req.query.get("sha", "main")
    if ref not in ("main", "refs/heads/main", "HEAD"):
        row = req.conn.execute(
            "SELECT main_pos FROM commits WHERE repo_id = ? AND sha = ? AND on_main = 1 "
            "AND (is_merge = 1 OR parents = '')",
            (repo["id"], ref),
        ).fetchone()
        if row is None:
            return error(404, f"No commit found for SHA: {ref}", f"{DOCS}/commits/commits#list-commits")
        where.append("main_pos <= ?")
        params.append(row[0])
    since, until = since_until(req.query)
    if since is not None:
        where.append("committer_at >= ?")
        params.append(since)
    if until is not None:
        where.append("committer_at <= ?")
        params.append(until)
    sql = f"SELECT * FROM commits WHERE {' AND '.join(where)} ORDER BY committer_at DESC, author_at DESC, sha"
    return list_reply(req, sql, params, lambda r: sc.commit(req.urls, req.directory, repo["full_name"], r))


def get_commit(req: Request, owner: str, name: str, sha: str) -> Reply:
    repo = find_repo(req, owner, name)
    row = req.conn.execute(
        "SELECT * FROM commits WHERE repo_id = ? AND sha LIKE ? ORDER BY sha LIMIT 1", (repo["id"], sha + "%")
    ).fetchone()
    if row is None:
        return error(422, f"No commit found for SHA: {sha}")
    body = sc.commit(req.urls, req.directory, repo["full_name"], row)
    body["stats"] = {"total": row["additions"] + row["deletions"], "additions": row["additions"],
                     "deletions": row["deletions"]}  # fmt: skip
    body["files"] = []
    return Reply(200, body)


# -- pull requests -----------------------------------------------------------------------------
def list_pulls(req: Request, owner: str, name: str) -> Reply:
    repo = find_repo(req, owner, name)
    repo_json = repository(req.urls, repo)
    where, params = ["repo_id = ?"], [repo["id"]]
    state = req.query.get("state", "open")
    if state in ("open", "closed"):
        where.append("state = ?")
        params.append(state)
    if req.query.get("head"):
        where.append("head_ref = ?")
        params.append(req.query["head"].split(":", 1)[-1])
    if req.query.get("base") not in (None, "main"):
        where.append("0")
    sort = req.query.get("sort", "created")
    column = "updated_at" if sort == "updated" else "created_at"
    direction = sort_direction(req, "desc" if sort == "created" else "asc")
    sql = f"SELECT * FROM pulls WHERE {' AND '.join(where)} ORDER BY {column} {direction}, number {direction}"
    return list_reply(req, sql, params, lambda r: sc.pull(req.urls, req.directory, repo_json, r))


def _pull_row(req: Request, repo, number: str):
    row = req.conn.execute(
        "SELECT * FROM pulls WHERE repo_id = ? AND number = ?", (repo["id"], int(number))
    ).fetchone()
    if row is None:
        raise NotFound
    return row


def get_pull(req: Request, owner: str, name: str, number: str) -> Reply:
    repo = find_repo(req, owner, name)
    row = _pull_row(req, repo, number)
    return Reply(200, sc.pull(req.urls, req.directory, repository(req.urls, repo), row, full=True))


def list_reviews(req: Request, owner: str, name: str, number: str) -> Reply:
    repo = find_repo(req, owner, name)
    _pull_row(req, repo, number)
    sql = "SELECT * FROM reviews WHERE repo_id = ? AND number = ? ORDER BY submitted_at, id"
    return list_reply(req, sql, [repo["id"], int(number)],
                 lambda r: sc.review(req.urls, req.directory, repo["full_name"], r))  # fmt: skip


def list_pull_commits(req: Request, owner: str, name: str, number: str) -> Reply:
    repo = find_repo(req, owner, name)
    _pull_row(req, repo, number)
    sql = """SELECT c.* FROM pull_commits pc JOIN commits c ON c.repo_id = pc.repo_id AND c.sha = pc.sha
             WHERE pc.repo_id = ? AND pc.number = ? ORDER BY pc.pos"""
    return list_reply(req, sql, [repo["id"], int(number)],
                 lambda r: sc.commit(req.urls, req.directory, repo["full_name"], r))  # fmt: skip

