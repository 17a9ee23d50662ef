"""JSON shapes for deployments, deployment statuses, workflow runs and jobs, releases and issues."""

import json

from simulator.github.directory import Directory
from simulator.github.shapes_code import person
from simulator.github.urls import Urls, node_id
from simulator.timeutil import iso

WORKFLOW_PATHS = {
    "CI": ".github/workflows/ci.yml",
    "Deploy": ".github/workflows/deploy.yml",
    "Deploy staging": ".github/workflows/deploy-staging.yml",
}


def deployment(urls: Urls, d: Directory, full_name: str, r) -> dict:
    api = f"{urls.repo(full_name)}/deployments/{r['id']}"
    env = r["environment"]
    return {
        "url": api, "id": r["id"], "node_id": node_id("Deployment", r["id"]), "sha": r["sha"],
        "ref": "main", "task": "deploy", "payload": {}, "original_environment": env, "environment": env,
        "description": f"Deploy main to {env}", "creator": person(urls, d, r["creator_id"]),
        "created_at": iso(r["created_at"]), "updated_at": iso(r["updated_at"]),
        "statuses_url": f"{api}/statuses", "repository_url": urls.repo(full_name),
        "transient_environment": False, "production_environment": env == "production",
        "performed_via_github_app": None,
    }  # fmt: skip


def deployment_status(urls: Urls, d: Directory, full_name: str, r) -> dict:
    dep = f"{urls.repo(full_name)}/deployments/{r['deployment_id']}"
    log = f"{urls.html(full_name)}/actions/runs/{r['deployment_id']}"
    descriptions = {"success": "Deployment finished successfully.", "failure": "Deployment failed.",
                    "in_progress": "Deployment started."}  # fmt: skip
    return {
        "url": f"{dep}/statuses/{r['id']}", "id": r["id"], "node_id": node_id("DeploymentStatus", r["id"]),
        "state": r["state"], "creator": person(urls, d, r["creator_id"]),
        "description": descriptions.get(r["state"], ""), "environment": r["environment"],
        "target_url": log, "created_at": iso(r["created_at"]), "updated_at": iso(r["created_at"]),
        "deployment_url": dep, "repository_url": urls.repo(full_name),
        "environment_url": "", "log_url": log, "performed_via_github_app": None,
    }  # fmt: skip


def workflow_run(urls: Urls, d: Directory, repo: dict, r) -> dict:
    full_name = repo["full_name"]
    api = f"{urls.repo(full_name)}/actions/runs/{r['id']}"
    actor = person(urls, d, r["actor_id"])
    short_repo = {k: repo[k] for k in ("id", "node_id", "name", "full_name", "private", "owner", "html_url",
                                      "description", "fork", "url")}  # fmt: skip
    prs = []
    if r["pr_number"] is not None and r["event"] == "pull_request":
        prs.append({
            "url": f"{urls.repo(full_name)}/pulls/{r['pr_number']}", "id": r["pr_id"], "number": r["pr_number"],
            "head": {"ref": r["head_branch"], "sha": r["head_sha"],
                     "repo": {"id": repo["id"], "url": repo["url"], "name": repo["name"]}},
            "base": {"ref": "main", "sha": r["pr_base_sha"],
                     "repo": {"id": repo["id"], "url": repo["url"], "name": repo["name"]}},
        })  # fmt: skip
    return {
        "id": r["id"], "name": r["name"], "node_id": node_id("WorkflowRun", r["id"]),
        "head_branch": r["head_branch"], "head_sha": r["head_sha"], "path": WORKFLOW_PATHS[r["name"]],
        "display_title": (r["message"] or "").split("\n", 1)[0], "run_number": r["run_number"],
        "event": r["event"], "status": r["status"], "conclusion": r["conclusion"],
        "workflow_id": r["workflow_id"], "check_suite_id": r["id"] + 1,
        "check_suite_node_id": node_id("CheckSuite", r["id"] + 1), "url": api,
        "html_url": f"{urls.html(full_name)}/actions/runs/{r['id']}", "pull_requests": prs,
        "created_at": iso(r["created_at"]), "updated_at": iso(r["updated_at"]), "actor": actor,
        "run_attempt": 1, "referenced_workflows": [], "run_started_at": iso(r["created_at"]),
        "triggering_actor": actor, "jobs_url": f"{api}/jobs", "logs_url": f"{api}/logs",
        "check_suite_url": f"{urls.repo(full_name)}/check-suites/{r['id'] + 1}",
        "artifacts_url": f"{api}/artifacts", "cancel_url": f"{api}/cancel", "rerun_url": f"{api}/rerun",
        "previous_attempt_url": None, "workflow_url": f"{urls.repo(full_name)}/actions/workflows/{r['workflow_id']}",
        "head_commit": {
            "id": r["head_sha"], "tree_id": r["tree_sha"], "message": (r["message"] or "").rstrip("\n"),
            "timestamp": iso(r["committer_at"]),
            "author": {"name": r["author_name"], "email": r["author_email"]},
            "committer": {"name": r["committer_name"], "email": r["committer_email"]},
        },
        "repository": short_repo, "head_repository": short_repo,
    }  # fmt: skip


def release(urls: Urls, d: Directory, full_name: str, r) -> dict:
    api = f"{urls.repo(full_name)}/releases/{r['id']}"
    return {
        "url": api, "html_url": f"{urls.html(full_name)}/releases/tag/{r['tag_name']}",
        "assets_url": f"{api}/assets", "upload_url": f"{urls.web}/uploads/repos/{full_name}/releases/{r['id']}"
        "/assets{?name,label}", "tarball_url": f"{urls.repo(full_name)}/tarball/{r['tag_name']}",
        "zipball_url": f"{urls.repo(full_name)}/zipball/{r['tag_name']}", "id": r["id"],
        "node_id": node_id("Release", r["id"]), "tag_name": r["tag_name"], "target_commitish": "main",
        "name": r["name"], "body": r["body"], "draft": r["published_at"] is None, "prerelease": bool(r["prerelease"]),
        "created_at": iso(r["created_at"]), "published_at": iso(r["published_at"]) if r["published_at"] else None,
        "author": person(urls, d, r["author_id"]), "assets": [],
    }  # fmt: skip


def tag(urls: Urls, full_name: str, r) -> dict:
    """GET /repos/{o}/{r}/tags: a tag names the commit it points to (the release's sha)."""
    return {
        "name": r["tag_name"], "commit": {"sha": r["sha"], "url": f"{urls.repo(full_name)}/commits/{r['sha']}"},
        "zipball_url": f"{urls.repo(full_name)}/zipball/refs/tags/{r['tag_name']}",
        "tarball_url": f"{urls.repo(full_name)}/tarball/refs/tags/{r['tag_name']}",
        "node_id": node_id("Ref", f"refs/tags/{r['tag_name']}"),
    }  # fmt: skip


def issue(urls: Urls, d: Directory, full_name: str, r) -> dict:
    api = f"{urls.repo(full_name)}/issues/{r['number']}"
    kind = "pull" if r["is_pull"] else "issues"
    html = f"{urls.html(full_name)}/{kind}/{r['number']}"
    closed = r["state"] == "closed"
    out = {
        "url": api, "repository_url": urls.repo(full_name), "labels_url": f"{api}/labels{{/name}}",
        "comments_url": f"{api}/comments", "events_url": f"{api}/events", "html_url": html,
        "id": r["id"], "node_id": node_id("Issue", r["id"]), "number": r["number"], "title": r["title"],
        "user": person(urls, d, r["author_id"]), "labels": [], "state": r["state"], "locked": False,
        "assignee": None, "assignees": [], "milestone": None, "comments": 0,
        "created_at": iso(r["created_at"]), "updated_at": iso(r["updated_at"]), "closed_at": iso(r["closed_at"]),
        "author_association": "MEMBER", "active_lock_reason": None, "body": r["body"],
        "timeline_url": f"{api}/timeline", "performed_via_github_app": None,
        "state_reason": ("completed" if closed else None),
    }  # fmt: skip
    if r["is_pull"]:
        pr_html = f"{urls.html(full_name)}/pull/{r['number']}"
        out["draft"] = bool(r["draft"])
        out["pull_request"] = {
            "url": f"{urls.repo(full_name)}/pulls/{r['number']}", "html_url": pr_html,
            "diff_url": f"{pr_html}.diff", "patch_url": f"{pr_html}.patch", "merged_at": iso(r["merged_at"]),
        }  # fmt: skip
    return out


def workflow_job(urls: Urls, full_name: str, r) -> dict:
    """A job of a workflow run (`r`: a workflow_jobs row joined to its run's name, branch and sha)."""
    repo_api = urls.repo(full_name)
    steps = [{**step, "started_at": iso(step["started_at"]), "completed_at": iso(step["completed_at"])}
             for step in json.loads(r["steps"])]  # fmt: skip
    has_runner = r["runner_name"] is not None
    return {
        "id": r["id"], "run_id": r["run_id"], "workflow_name": r["workflow_name"], "head_branch": r["head_branch"],
        "run_url": f"{repo_api}/actions/runs/{r['run_id']}", "run_attempt": r["run_attempt"],
        "node_id": node_id("WorkflowJob", r["id"]), "head_sha": r["head_sha"],
        "url": f"{repo_api}/actions/jobs/{r['id']}",
        "html_url": f"{urls.html(full_name)}/actions/runs/{r['run_id']}/job/{r['id']}",
        "status": r["status"], "conclusion": r["conclusion"], "created_at": iso(r["created_at"]),
        "started_at": iso(r["started_at"]), "completed_at": iso(r["completed_at"]), "name": r["name"],
        "steps": steps, "check_run_url": f"{repo_api}/check-runs/{r['id']}", "labels": json.loads(r["labels"]),
        "runner_id": (r["id"] % 50 + 1) if has_runner else None, "runner_name": r["runner_name"],
        "runner_group_id": 1 if has_runner else None,
        "runner_group_name": "GitHub Actions" if has_runner else None,
    }  # fmt: skip
