"""The route table: GitHub REST paths to endpoint handlers (served at / and under /api/v3)."""

import re

from simulator.github.api_base import NotFound, Reply, Request, error
from simulator.github.routes_code import (
    get_commit,
    get_pull,
    get_repo,
    list_commits,
    list_pull_commits,
    list_pulls,
    list_reviews,
    org_repos,
)
from simulator.github.routes_copilot import list_metrics, list_seats
from simulator.github.routes_ops import (
    get_deployment,
    list_deployment_statuses,
    list_deployments,
    list_issues,
    list_jobs,
    list_releases,
    list_runs,
    list_tags,
)

REPO = r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
ROUTES = [
    (re.compile(r"/orgs/([^/]+)/repos"), org_repos),
    (re.compile(r"/orgs/([^/]+)/copilot/billing/seats"), list_seats),
    (re.compile(r"/orgs/([^/]+)/copilot/metrics"), list_metrics),
    (re.compile(REPO), get_repo),
    (re.compile(REPO + r"/commits"), list_commits),
    (re.compile(REPO + r"/commits/([0-9a-fA-F]{4,40})"), get_commit),
    (re.compile(REPO + r"/pulls"), list_pulls),
    (re.compile(REPO + r"/pulls/(\d+)"), get_pull),
    (re.compile(REPO + r"/pulls/(\d+)/reviews"), list_reviews),
    (re.compile(REPO + r"/pulls/(\d+)/commits"), list_pull_commits),
    (re.compile(REPO + r"/actions/runs"), list_runs),
    (re.compile(REPO + r"/actions/runs/(\d+)/jobs"), list_jobs),
    (re.compile(REPO + r"/deployments"), list_deployments),
    (re.compile(REPO + r"/deployments/(\d+)"), get_deployment),
    (re.compile(REPO + r"/deployments/(\d+)/statuses"), list_deployment_statuses),
    (re.compile(REPO + r"/releases"), list_releases),
    (re.compile(REPO + r"/tags"), list_tags),
    (re.compile(REPO + r"/issues"), list_issues),
]


def dispatch(req: Request, path: str) -> Reply:
    for pattern, handler in ROUTES:
        m = pattern.fullmatch(path)
        if m:
            try:
                return handler(req, *m.groups())
            except NotFound:
                break
    return error(404, "Not Found")
