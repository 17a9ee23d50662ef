"""GitHub REST extractor (github.com or GitHub Enterprise via base_url)."""

from extractors.core.source_kind import SourceKind
from extractors.github import runner
from extractors.github.settings import GithubSettings
from extractors.github.streams import ALL_STREAMS

SOURCE_KIND = SourceKind(
    name="github",
    settings=GithubSettings,
    streams=ALL_STREAMS,
    plan=runner.plan,
    extract=runner.extract,
    schedule="0 3 * * *",
    description="GitHub repositories: commits, pull requests with reviews and commits, CI runs, deployments",
    deployment_streams={
        "github_deployments": ("deployments", "deployment_statuses"),
        "github_actions": ("workflow_runs",),
        "github_actions.job": ("workflow_jobs",),  # a rule with a job glob reads the runs' jobs too
        "github_releases": ("releases", "tags"),
    },
)
