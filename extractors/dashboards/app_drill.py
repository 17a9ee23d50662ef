"""Drill-down: the fact rows that make one number of a weekly report (team x week).

Each measure selects from marts.fct_* with the same rule the report counts with (rpt_dora_weekly,
rpt_request_to_production_weekly), so the rows shown for a team-week are exactly the ones its number
counts. A repository filter narrows the rows further (reports are per team, facts carry the repository).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    label: str  # as the weekly table names it
    report_column: str  # rpt_dora_weekly / rpt_request_to_production_weekly column the rows add up to
    fact: str
    week_of: str  # the timestamp whose week the report counts the row in
    condition: str  # the report's own filter on the fact
    columns: str
    repository_column: str | None = "repository"


MEASURES = {
    "deployments": Measure(
        "production deployments", "deployments", "marts.fct_deployments", "deployed_at",
        "is_counted_deployment",
        "deployment_id, repository, service, environment, deployed_at, commits_shipped, changes_shipped, "
        "lead_time_median_hours, is_change_failure, is_rolled_back",
    ),
    "deployment_attempts": Measure(
        "deployment attempts", "deployment_attempts", "marts.fct_deployments", "attempted_at",
        "is_deployment_attempt",
        "deployment_id, repository, service, attempted_at, latest_status_state, is_change_failure, "
        "recovery_hours",
    ),
    "failed_attempts": Measure(
        "failed deployment attempts", "failed_attempts", "marts.fct_deployments", "attempted_at",
        "is_failed_attempt",
        "deployment_id, repository, service, attempted_at, latest_status_state, attempt_recovered_at, "
        "attempt_recovery_hours",
    ),
    "failure_rate_deployments": Measure(
        "deployments in the change failure rate", "failure_rate_deployments", "marts.fct_deployments",
        "attempted_at", "is_in_change_failure_rate",
        "deployment_id, repository, service, attempted_at, latest_status_state, is_change_failure, "
        "recovery_hours",
    ),
    "failed_deployments": Measure(
        "change failures", "failed_deployments", "marts.fct_deployments", "attempted_at",
        "counts_as_change_failure",
        "deployment_id, repository, service, attempted_at, latest_status_state, is_rolled_back, is_reverted, "
        "attributed_incidents, recovered_at, recovery_hours",
    ),
    "changes_deployed": Measure(
        "changes deployed (lead time)", "changes_deployed", "marts.fct_changes", "deployed_at",
        "deployed_at is not null and lead_time_hours is not null",
        "pull_request_key, repository, pull_request_number, author_login, first_commit_at, merged_at, "
        "deployed_at, lead_time_hours",
    ),
    "merged_prs": Measure(
        "merged pull requests", "merged_prs", "marts.fct_changes", "merged_at", "true",
        "pull_request_key, repository, pull_request_number, author_login, merged_at, is_deployed, deployed_at, "
        "lead_time_hours",
    ),
    "incidents": Measure(
        "incidents", "incidents", "marts.fct_incidents", "created_at", "true",
        "incident_id, incident_source, incident_number, title, service_name, repository, severity, status, created_at, "
        "resolved_at, deployment_id, attribution_method, recovery_hours",
    ),
    "items_delivered": Measure(
        "work items delivered", "items_delivered", "marts.fct_work_items", "deployed_at", "is_delivered",
        "work_item_key, canonical_type, created_at, started_at, first_pr_opened_at, merged_at, deployed_at, "
        "linked_prs, request_to_production_hours",
        repository_column=None,
    ),
}  # fmt: skip


def drill_sql(measure: Measure, teams: int = 1, weeks: int = 1, repository: bool = False) -> str:
    """The measure's fact rows for `teams` team keys, then one week (weeks=1) or an inclusive range of
    weeks (weeks=2), then the repository when `repository` and the fact has one: the parameters in order."""
    week = f"cast(date_trunc('week', {measure.week_of}) as date)"
    where = [
        f"team_key in ({', '.join('?' * teams)})",
        f"{week} = ?" if weeks == 1 else f"{week} between ? and ?",
        f"({measure.condition})",
    ]
    if repository and measure.repository_column:
        where.append(f"{measure.repository_column} = ?")
    return f"select {measure.columns} from {measure.fact} where {' and '.join(where)} order by {measure.week_of}"


def drill_params(measure: Measure, teams, weeks, repository: str | None) -> list:
    return [*teams, *weeks] + ([repository] if repository and measure.repository_column else [])


def pull_requests_sql(pr_group: str | None, period_start, period_end, repository: str | None) -> tuple[str, list]:
    """Merged PRs of one credited team (first parameter) in a rpt_ai_pr_comparison group and period: the
    rows behind its ai_units/other_units (merged week in [period_start, period_end); no bounds: all)."""
    groups = {"ai": "('assisted', 'agent_authored')", "other": "('none')"}
    either = "('assisted', 'agent_authored', 'none')"
    where = [
        "credited_team_key = ?",
        "is_merged",
        f"ai_assistance in {groups.get(pr_group or '', either)}",
    ]
    params: list = []
    if period_start is not None and period_end is not None:
        where.append("date_trunc('week', merged_at) >= ? and date_trunc('week', merged_at) < ?")
        params += [period_start, period_end]
    if repository:
        where.append("repository = ?")
        params.append(repository)
    sql = (
        "select pull_request_key, repository, pull_request_number, title, author_login, ai_assistance, "
        "ai_signals, created_at, merged_at, deployed_at, lead_time_hours, review_pickup_hours, "
        f"open_to_merge_hours from marts.fct_pull_requests where {' and '.join(where)} order by merged_at"
    )
    return sql, params
