"""GitHub streams declared as data: path, primary key, how each is made incremental; source.py reads these.

`incremental` says how the window [cursor - lookback, window end) is applied:
- since: the API filters by `since`; records at or after the window end are left for the next run.
- since_until: the API filters by `since` and `until`.
- updated_desc: listed newest-updated first; paging stops at the first record older than the cursor.
- created: the `created` search qualifier (`>=since`), from `open_for` earlier for records that change
  after they are created.
- full: small lists read whole every run; unchanged records add no raw rows.
A stream `only_beside` another is read only when that one listed a record for the repository in the same run.
Every stream but a childless full one keeps the window end as its cursor. A child stream (`parent`) is read
for each parent record landed in the same run that changed since the cursor (`updated_field`), its path's
`{parent}` filled from the parent's `parent_key`.
"""

from __future__ import annotations

import datetime as dt

from extractors.core.source_kind import Stream

REPOSITORIES = Stream("repositories", "/orgs/{org}/repos", "id", "full", params={"type": "all"})
COMMITS = Stream("commits", "/repos/{repo}/commits", "sha", "since_until")
PULL_REQUESTS = Stream(
    "pull_requests",
    "/repos/{repo}/pulls",
    "id",
    "updated_desc",
    "updated_at",
    params={"state": "all", "sort": "updated", "direction": "desc"},
    updated_field="updated_at",
)
PULL_REQUEST_REVIEWS = Stream(
    "pull_request_reviews",
    "/repos/{repo}/pulls/{parent}/reviews",
    "id",
    "full",
    "submitted_at",
    parent="pull_requests",
    parent_key="number",
)
PULL_REQUEST_COMMITS = Stream(
    "pull_request_commits",
    "/repos/{repo}/pulls/{parent}/commits",
    "sha",
    "full",
    parent="pull_requests",
    parent_key="number",
    id_scoped_to_parent=True,
)
WORKFLOW_RUNS = Stream(
    "workflow_runs",
    "/repos/{repo}/actions/runs",
    "id",
    "created",
    "created_at",
    items_key="workflow_runs",
    updated_field="updated_at",
    # listed by creation, a run changes until it completes: GitHub-hosted jobs stop at 6 h, so a day covers a
    # run with its queue; one still running after that is not seen finishing (its deployment stays unfinished)
    open_for=dt.timedelta(hours=24),
)
# Jobs with their steps: `filter=all` keeps every attempt's jobs (GitHub's default, `latest`, drops the jobs of
# attempts that were re-run, and with them the CI time and failures they cost); each attempt's job has its own id.
WORKFLOW_JOBS = Stream(
    "workflow_jobs",
    "/repos/{repo}/actions/runs/{parent}/jobs",
    "id",
    "full",
    "created_at",
    params={"filter": "all"},
    items_key="jobs",
    parent="workflow_runs",
    parent_key="id",
)
DEPLOYMENTS = Stream("deployments", "/repos/{repo}/deployments", "id", "full", "created_at", updated_field="updated_at")
DEPLOYMENT_STATUSES = Stream(
    "deployment_statuses",
    "/repos/{repo}/deployments/{parent}/statuses",
    "id",
    "full",
    "created_at",
    parent="deployments",
    parent_key="id",
)
# Releases are few and listed newest-created first, but a draft is published (and a release edited) later: read
# whole every run; a release published at or after the window end waits for the next run (drafts have no
# published_at: they land as received). Tags give each release's commit (`target_commitish` names a branch or
# a sha when the release was made, not the commit its tag points to); read right after the releases, so every
# tag a landed release names is among them, and only for repositories that have releases.
RELEASES = Stream("releases", "/repos/{repo}/releases", "id", "full", "published_at")
TAGS = Stream("tags", "/repos/{repo}/tags", "name", "full", only_beside="releases")
ISSUES = Stream(
    "issues",
    "/repos/{repo}/issues",
    "id",
    "since",
    "updated_at",
    params={"state": "all", "sort": "updated", "direction": "asc"},
)

# Organisation streams (copilot.py reads them, one extract task per org scope). Seats: the seats billed now
# (active, or pending cancellation until the next billing cycle); record_id = `{assignee.id}:{created_at}`, one
# record per grant, so a seat granted again after a cancellation keeps both periods. Metrics: one record per
# UTC day (`date`), asked by `since`/`until` for whole days before the window end.
COPILOT_SEATS = Stream("copilot_seats", "/orgs/{org}/copilot/billing/seats", "assignee.id", "full", items_key="seats")
COPILOT_METRICS = Stream("copilot_metrics", "/orgs/{org}/copilot/metrics", "date", "since_until", "date")
ORG_STREAMS = (COPILOT_SEATS, COPILOT_METRICS)

# in the order they are read (children right after their parent, before its cursor is published)
REPOSITORY_STREAMS = (
    COMMITS,
    ISSUES,
    PULL_REQUESTS,
    PULL_REQUEST_REVIEWS,
    PULL_REQUEST_COMMITS,
    WORKFLOW_RUNS,
    WORKFLOW_JOBS,
    DEPLOYMENTS,
    DEPLOYMENT_STATUSES,
    RELEASES,
    TAGS,
)
ALL_STREAMS = (REPOSITORIES, *REPOSITORY_STREAMS, *ORG_STREAMS)
