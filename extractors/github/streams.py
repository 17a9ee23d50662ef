"""GitHub streams declared as data: path, primary key, how each is made incremental.

`incremental` says how the window is applied:
- since: the API filters by `since` (and `until` where it exists); the cursor is the window end.
- updated_desc: listed newest-updated first; stop at the first record older than the cursor.
- created: the `created` search qualifier (`>=since`).
- full: small lists read whole every run; unchanged records add no raw rows.
Child streams are read for each parent record written in the same run.
"""

from __future__ import annotations

from extractors.core.source_kind import Stream

REPOSITORIES = Stream("repositories", "/orgs/{org}/repos", "id", "full", params={"type": "all"})
COMMITS = Stream("commits", "/repos/{repo}/commits", "sha", "since")
PULL_REQUESTS = Stream(
    "pull_requests",
    "/repos/{repo}/pulls",
    "id",
    "updated_desc",
    "updated_at",
    params={"state": "all", "sort": "updated", "direction": "desc"},
)
PULL_REQUEST_REVIEWS = Stream(
    "pull_request_reviews",
    "/repos/{repo}/pulls/{number}/reviews",
    "id",
    "full",
    "submitted_at",
    parent="pull_requests",
    parent_key="number",
)
PULL_REQUEST_COMMITS = Stream(
    "pull_request_commits",
    "/repos/{repo}/pulls/{number}/commits",
    "sha",
    "full",
    parent="pull_requests",
    parent_key="number",
)
WORKFLOW_RUNS = Stream(
    "workflow_runs", "/repos/{repo}/actions/runs", "id", "created", "created_at", items_key="workflow_runs"
)
DEPLOYMENTS = Stream("deployments", "/repos/{repo}/deployments", "id", "full", "created_at")
DEPLOYMENT_STATUSES = Stream(
    "deployment_statuses",
    "/repos/{repo}/deployments/{deployment_id}/statuses",
    "id",
    "full",
    "created_at",
    parent="deployments",
    parent_key="deployment_id",
)
RELEASES = Stream("releases", "/repos/{repo}/releases", "id", "full", "created_at")
ISSUES = Stream(
    "issues",
    "/repos/{repo}/issues",
    "id",
    "since",
    "updated_at",
    params={"state": "all", "sort": "updated", "direction": "asc"},
)

REPOSITORY_STREAMS = (
    COMMITS,
    PULL_REQUESTS,
    PULL_REQUEST_REVIEWS,
    PULL_REQUEST_COMMITS,
    WORKFLOW_RUNS,
    DEPLOYMENTS,
    DEPLOYMENT_STATUSES,
    RELEASES,
    ISSUES,
)
ALL_STREAMS = (REPOSITORIES, *REPOSITORY_STREAMS)
