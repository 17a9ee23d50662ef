"""The ready-made, read-only queries every dashboard uses: the HTML report, the app, any BI tool (docs/BI.md).

Each reads the published snapshot's `marts` and `seeds` schemas only, never raw, staging or intermediate, and
returns the keys plus the display names a chart needs (`team_name` from marts.dim_teams). The two data-status
queries are the exception: they read the loader's and staging's bookkeeping (raw._loaded_files, raw._quarantine,
raw._rejected_files, data_quality.dq_invalid_values), which is about the data, not the data itself.

`columns` is each query's contract: the BI test checks every query returns exactly these, in this order.
`metrics_section` is the METRICS.md heading whose rule the numbers follow.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    name: str
    title: str
    metrics_section: str
    columns: tuple[str, ...]
    sql: str


_TEAM_VERDICTS = """
with

adoption as (
    select
        team_key,
        has_adopted,
        adoption_week,
        adoption_method,
        first_week_after_ramp
    from marts.team_ai_adoption
),

verdicts as (
    select
        team_key,
        any_value(verdict) as ai_verdict
    from marts.rpt_ai_impact
    group by team_key
),

-- the grid's last week is still in progress (METRICS.md "Alerts"): read the one before it
latest_complete_week as (
    select cast(max(week_start) - interval 7 day as date) as week_start
    from marts.rpt_divergence_weekly
),

divergence as (
    select
        divergence.team_key,
        divergence.week_start as divergence_week,
        divergence.divergence_status,
        divergence.activity_index,
        divergence.outcome_index
    from marts.rpt_divergence_weekly as divergence
    inner join latest_complete_week on divergence.week_start = latest_complete_week.week_start
    where divergence.level = 'team'
)

select
    teams.team_key,
    teams.team_name,
    coalesce(adoption.has_adopted, false) as has_adopted,
    adoption.adoption_week,
    adoption.adoption_method,
    adoption.first_week_after_ramp,
    coalesce(verdicts.ai_verdict, case when adoption.has_adopted then 'not enough data' else 'not adopted' end)
        as ai_verdict,
    divergence.divergence_week,
    divergence.divergence_status,
    divergence.activity_index,
    divergence.outcome_index
from marts.dim_teams as teams
left join adoption on teams.team_key = adoption.team_key
left join verdicts on teams.team_key = verdicts.team_key
left join divergence on teams.team_key = divergence.team_key
order by teams.team_key
"""

_AI_IMPACT = """
select
    impact.team_key,
    teams.team_name,
    impact.metric,
    impact.metric_kind,
    impact.better,
    impact.is_speed,
    impact.adoption_week,
    impact.first_week_after_ramp,
    impact.before_value,
    impact.after_value,
    impact.before_units,
    impact.after_units,
    impact.relative_change,
    impact.change_ci_low,
    impact.change_ci_high,
    impact.control_before_units,
    impact.control_after_units,
    impact.difference_in_differences,
    impact.difference_ci_low,
    impact.difference_ci_high,
    impact.estimate_basis,
    impact.direction,
    impact.verdict
from marts.rpt_ai_impact as impact
inner join marts.dim_teams as teams on impact.team_key = teams.team_key
order by impact.team_key asc, impact.metric_kind asc, impact.is_speed desc, impact.metric asc
"""

_DORA_WEEKLY = """
select
    dora.team_key,
    teams.team_name,
    dora.week_start,
    weeks.is_in_delivery_span,
    dora.deployments,
    dora.deployment_frequency_band,
    dora.changes_deployed,
    dora.lead_time_p50_hours,
    dora.lead_time_p85_hours,
    dora.lead_time_band,
    dora.deployment_attempts,
    dora.failed_attempts,
    dora.failed_deployment_attempt_rate,
    dora.failure_rate_deployments,
    dora.failed_deployments,
    dora.change_failure_rate,
    dora.change_failure_rate_band,
    dora.failures_recovered,
    dora.recovery_time_p50_hours,
    dora.recovery_time_band,
    dora.rework_deployments,
    dora.rework_rate,
    dora.merged_prs,
    dora.pr_deployment_coverage,
    dora.incidents,
    dora.incident_attribution_coverage
from marts.rpt_dora_weekly as dora
inner join marts.dim_teams as teams on dora.team_key = teams.team_key
left join marts.dim_weeks as weeks on dora.week_start = weeks.week_start
order by dora.team_key, dora.week_start
"""

# a service's bands are its own (deployment frequency from its deploy_days, METRICS.md "Services"); services
# of repositories no team lists have no team and are left out, as in dora_weekly
_DORA_SERVICE_WEEKLY = """
select
    dora.team_key,
    teams.team_name,
    dora.service,
    dora.repository,
    dora.week_start,
    weeks.is_in_delivery_span,
    dora.deployments,
    dora.deploy_days,
    dora.deployment_frequency_band,
    dora.changes_deployed,
    dora.lead_time_p50_hours,
    dora.lead_time_p85_hours,
    dora.lead_time_band,
    dora.failure_rate_deployments,
    dora.failed_deployments,
    dora.change_failure_rate,
    dora.change_failure_rate_band,
    dora.failures_recovered,
    dora.recovery_time_p50_hours,
    dora.recovery_time_band
from marts.rpt_dora_service_weekly as dora
inner join marts.dim_teams as teams on dora.team_key = teams.team_key
left join marts.dim_weeks as weeks on dora.week_start = weeks.week_start
order by dora.team_key, dora.service, dora.week_start
"""

# The warehouse does not record which year's bands the build used (the dora_band_year var), so the year is
# the one whose thresholds reproduce the bands stored in rpt_dora_weekly; on a tie (or no data) the latest.
_DORA_BAND_THRESHOLDS = """
with

weeks as (
    select * from marts.rpt_dora_weekly
),

observed as (
    select
        'deployment_frequency' as metric,
        cast(deployments as double) as value,
        deployment_frequency_band as band
    from weeks
    union all
    select
        'lead_time_hours' as metric,
        lead_time_p50_hours as value,
        lead_time_band as band
    from weeks
    union all
    select
        'change_failure_rate' as metric,
        change_failure_rate as value,
        change_failure_rate_band as band
    from weeks
    union all
    select
        'recovery_time_hours' as metric,
        recovery_time_p50_hours as value,
        recovery_time_band as band
    from weeks
),

recomputed as (
    select
        bands.year,
        observed.metric,
        observed.value,
        observed.band,
        arg_min(bands.band, bands.band_rank) filter (
            where bands.threshold is null
            or (observed.metric = 'deployment_frequency' and bands.threshold <= observed.value)
            or (observed.metric != 'deployment_frequency' and bands.threshold >= observed.value)
        ) as year_band
    from observed
    inner join seeds.dora_bands as bands on observed.metric = bands.metric
    where observed.value is not null
    group by bands.year, observed.metric, observed.value, observed.band
),

year_in_use as (
    select coalesce(
        (
            select recomputed.year
            from recomputed
            group by recomputed.year
            order by
                count(*) filter (where recomputed.year_band is distinct from recomputed.band) asc,
                recomputed.year desc
            limit 1
        ),
        (select max(latest.year) as latest_year from seeds.dora_bands as latest)
    ) as year
)

select
    bands.year,
    bands.metric,
    case bands.metric
        when 'deployment_frequency' then 'deployments'
        when 'lead_time_hours' then 'lead_time_p50_hours'
        when 'recovery_time_hours' then 'recovery_time_p50_hours'
        else bands.metric
    end as report_column,
    bands.band,
    bands.band_rank,
    bands.threshold,
    case when bands.metric = 'deployment_frequency' then 'at least' else 'at most' end as threshold_means
from seeds.dora_bands as bands
inner join year_in_use on bands.year = year_in_use.year
order by bands.metric, bands.band_rank
"""

_REQUEST_TO_PRODUCTION_WEEKLY = """
select
    flow.team_key,
    teams.team_name,
    flow.week_start,
    weeks.is_in_delivery_span,
    flow.items_delivered,
    flow.request_to_production_p50_hours,
    flow.request_to_production_p85_hours,
    flow.wait_to_start_p50_hours,
    flow.start_to_pr_p50_hours,
    flow.pr_to_merge_p50_hours,
    flow.merge_to_deploy_p50_hours
from marts.rpt_request_to_production_weekly as flow
inner join marts.dim_teams as teams on flow.team_key = teams.team_key
left join marts.dim_weeks as weeks on flow.week_start = weeks.week_start
order by flow.team_key, flow.week_start
"""

# one row per team, week and stage (long form: what a stacked bar needs in any BI tool); CI overlaps the
# stages, so it is a column of the week beside them, not a stage row to stack (METRICS.md "Pull request cycle")
_BOTTLENECK_STAGES_WEEKLY = """
select
    bottleneck.team_key,
    teams.team_name,
    bottleneck.week_start,
    weeks.is_in_delivery_span,
    bottleneck.changes_deployed,
    stages.stage,
    stages.stage_order,
    stages.hours,
    stages.share,
    bottleneck.ci_hours,
    bottleneck.ci_share,
    bottleneck.bottleneck_stage,
    coalesce(stages.stage = bottleneck.bottleneck_stage, false) as is_bottleneck
from marts.rpt_bottleneck_weekly as bottleneck
inner join marts.dim_teams as teams on bottleneck.team_key = teams.team_key
left join marts.dim_weeks as weeks on bottleneck.week_start = weeks.week_start
cross join
    lateral (
        values
        ('coding', 1, bottleneck.coding_hours, bottleneck.coding_share),
        ('pickup', 2, bottleneck.pickup_hours, bottleneck.pickup_share),
        ('review', 3, bottleneck.review_hours, bottleneck.review_share),
        ('rework', 4, bottleneck.rework_hours, bottleneck.rework_share),
        ('merge', 5, bottleneck.merge_hours, bottleneck.merge_share),
        ('deploy_wait', 6, bottleneck.deploy_wait_hours, bottleneck.deploy_wait_share)
    ) as stages (stage, stage_order, hours, share)
order by bottleneck.team_key, bottleneck.week_start, stages.stage_order
"""

_DEFECT_ESCAPE_WEEKLY = """
select
    escapes.team_key,
    teams.team_name,
    escapes.week_start,
    escapes.bugs,
    escapes.bugs_found_in_production,
    escapes.defect_escape_rate
from marts.rpt_defect_escape_weekly as escapes
inner join marts.dim_teams as teams on escapes.team_key = teams.team_key
order by escapes.team_key, escapes.week_start
"""

_DIVERGENCE_WEEKLY = """
select
    divergence.level,
    divergence.team_key,
    coalesce(teams.team_name, 'Whole organisation') as team_name,
    divergence.week_start,
    weeks.is_in_delivery_span,
    divergence.current_weeks,
    divergence.baseline_weeks,
    divergence.current_engineer_weeks,
    divergence.baseline_engineer_weeks,
    divergence.prs_merged_per_engineer_change,
    divergence.commits_per_engineer_change,
    divergence.lines_changed_per_engineer_change,
    divergence.deployment_frequency_change,
    divergence.lead_time_p50_change,
    divergence.request_to_production_p50_change,
    divergence.current_deployments,
    divergence.current_changes,
    divergence.current_items_delivered,
    divergence.activity_index,
    divergence.outcome_index,
    divergence.is_busier_not_faster,
    divergence.divergence_status
from marts.rpt_divergence_weekly as divergence
left join marts.dim_teams as teams on divergence.team_key = teams.team_key
left join marts.dim_weeks as weeks on divergence.week_start = weeks.week_start
order by divergence.level, divergence.team_key nulls first, divergence.week_start
"""

_INVESTMENT_MONTHLY = """
select
    investment.team_key,
    case when investment.is_org_rollup then 'Whole organisation' else teams.team_name end as team_name,
    investment.month_start,
    investment.is_org_rollup,
    investment.ai_tool_spend,
    investment.infrastructure_spend,
    investment.delivery_spend,
    investment.infrastructure_to_ai_spend_ratio,
    investment.infrastructure_to_ai_spend_target,
    investment.is_below_infrastructure_ratio_target,
    investment.revenue,
    investment.headcount,
    investment.revenue_per_engineer,
    investment.csat,
    investment.csat_responses,
    investment.nps,
    investment.nps_responses,
    investment.deployments,
    investment.customer_requests_delivered,
    investment.spend_per_deployment,
    investment.spend_per_delivered_request,
    investment.missing_reason
from marts.rpt_investment_monthly as investment
left join marts.dim_teams as teams on investment.team_key = teams.team_key
order by investment.is_org_rollup desc, investment.team_key asc, investment.month_start asc
"""

_AI_PR_COMPARISON = """
select
    comparison.team_key,
    teams.team_name,
    comparison.period,
    comparison.period_start,
    comparison.period_end,
    comparison.measure,
    comparison.statistic,
    comparison.measure_order,
    comparison.ai_value,
    comparison.other_value,
    comparison.ai_units,
    comparison.other_units,
    comparison.difference,
    comparison.difference_ci_low,
    comparison.difference_ci_high,
    comparison.comparison_status
from marts.rpt_ai_pr_comparison as comparison
inner join marts.dim_teams as teams on comparison.team_key = teams.team_key
order by comparison.team_key, comparison.period, comparison.measure_order
"""

_DATA_FRESHNESS = """
select
    source_instance,
    stream,
    max(loaded_at) as last_loaded_at,
    count(*) as landing_files,
    sum(records) as records,
    sum(quarantined) as quarantined_records
from raw._loaded_files
group by source_instance, stream
order by source_instance, stream
"""

_DATA_STATUS = """
with

loads as (
    select
        max(loaded_at) as last_loaded_at,
        count(*) as landing_files_loaded
    from raw._loaded_files
),

weeks as (
    select
        min(week_start) as first_week,
        max(week_start) as last_week
    from marts.rpt_dora_weekly
),

invalid as (
    select
        count(*) as invalid_values,
        count(*) filter (where is_record_excluded) as excluded_records
    from data_quality.dq_invalid_values
),

quarantine as (
    select count(*) as quarantined_records from raw._quarantine
),

rejected as (
    select count(*) as rejected_files from raw._rejected_files
)

select
    loads.last_loaded_at,
    weeks.first_week,
    weeks.last_week,
    loads.landing_files_loaded,
    invalid.invalid_values,
    invalid.excluded_records,
    quarantine.quarantined_records,
    rejected.rejected_files
from loads, weeks, invalid, quarantine, rejected
"""

_OUTCOMES = "Outcomes in `rpt_dora_weekly` (per repository's team, week of the deployment)"

QUERIES: dict[str, Query] = {
    query.name: query
    for query in (
        Query(
            "team_verdicts",
            "Busier or faster: each team's AI verdict, adoption and latest complete week's divergence",
            "AI impact (`rpt_ai_impact`)",
            (
                "team_key", "team_name", "has_adopted", "adoption_week", "adoption_method", "first_week_after_ramp",
                "ai_verdict", "divergence_week", "divergence_status", "activity_index", "outcome_index",
            ),
            _TEAM_VERDICTS,
        ),
        Query(
            "ai_impact",
            "AI impact per team and metric: before vs after adoption, with 95% intervals",
            "AI impact (`rpt_ai_impact`)",
            (
                "team_key", "team_name", "metric", "metric_kind", "better", "is_speed", "adoption_week",
                "first_week_after_ramp", "before_value", "after_value", "before_units", "after_units",
                "relative_change", "change_ci_low", "change_ci_high", "control_before_units", "control_after_units",
                "difference_in_differences", "difference_ci_low", "difference_ci_high", "estimate_basis",
                "direction", "verdict",
            ),
            _AI_IMPACT,
        ),
        Query(
            "dora_weekly",
            "DORA metrics per team and week, with their bands and sample sizes",
            _OUTCOMES,
            (
                "team_key", "team_name", "week_start", "is_in_delivery_span", "deployments",
                "deployment_frequency_band", "changes_deployed", "lead_time_p50_hours", "lead_time_p85_hours",
                "lead_time_band", "deployment_attempts", "failed_attempts", "failed_deployment_attempt_rate",
                "failure_rate_deployments", "failed_deployments", "change_failure_rate", "change_failure_rate_band",
                "failures_recovered", "recovery_time_p50_hours", "recovery_time_band", "rework_deployments",
                "rework_rate", "merged_prs", "pr_deployment_coverage", "incidents", "incident_attribution_coverage",
            ),
            _DORA_WEEKLY,
        ),
        Query(
            "dora_band_thresholds",
            "The DORA band thresholds of the year the bands were computed with",
            _OUTCOMES,
            ("year", "metric", "report_column", "band", "band_rank", "threshold", "threshold_means"),
            _DORA_BAND_THRESHOLDS,
        ),
        Query(
            "dora_service_weekly",
            "DORA metrics per service and week, each service with its team and its own bands",
            "Services (`services:` in the config; `deployments.service`, `commit_services`)",
            (
                "team_key", "team_name", "service", "repository", "week_start", "is_in_delivery_span",
                "deployments", "deploy_days", "deployment_frequency_band", "changes_deployed",
                "lead_time_p50_hours", "lead_time_p85_hours", "lead_time_band", "failure_rate_deployments",
                "failed_deployments", "change_failure_rate", "change_failure_rate_band", "failures_recovered",
                "recovery_time_p50_hours", "recovery_time_band",
            ),
            _DORA_SERVICE_WEEKLY,
        ),
        Query(
            "request_to_production_weekly",
            "Request to production per team and week of deployment, and its waits",
            "Request to production (`fct_work_items`, `rpt_request_to_production_weekly`)",
            (
                "team_key", "team_name", "week_start", "is_in_delivery_span", "items_delivered",
                "request_to_production_p50_hours", "request_to_production_p85_hours", "wait_to_start_p50_hours",
                "start_to_pr_p50_hours", "pr_to_merge_p50_hours", "merge_to_deploy_p50_hours",
            ),
            _REQUEST_TO_PRODUCTION_WEEKLY,
        ),
        Query(
            "bottleneck_stages_weekly",
            "Where changes wait: each pull request stage's hours and share per team and week, the week's CI hours"
            " beside them, and the bottleneck (a stage or ci)",
            "Pull request cycle (`fct_pull_request_cycle`, `rpt_bottleneck_weekly`)",
            (
                "team_key", "team_name", "week_start", "is_in_delivery_span", "changes_deployed", "stage",
                "stage_order", "hours", "share", "ci_hours", "ci_share", "bottleneck_stage", "is_bottleneck",
            ),
            _BOTTLENECK_STAGES_WEEKLY,
        ),
        Query(
            "defect_escape_weekly",
            "Defect escape rate per team and week the bug was created",
            "Defect escape (`rpt_defect_escape_weekly`)",
            ("team_key", "team_name", "week_start", "bugs", "bugs_found_in_production", "defect_escape_rate"),
            _DEFECT_ESCAPE_WEEKLY,
        ),
        Query(
            "divergence_weekly",
            "Activity vs outcome indexes per team (and the whole organisation) and week",
            "Divergence (`rpt_divergence_weekly`)",
            (
                "level", "team_key", "team_name", "week_start", "is_in_delivery_span", "current_weeks",
                "baseline_weeks", "current_engineer_weeks", "baseline_engineer_weeks", "prs_merged_per_engineer_change",
                "commits_per_engineer_change", "lines_changed_per_engineer_change", "deployment_frequency_change",
                "lead_time_p50_change", "request_to_production_p50_change", "current_deployments", "current_changes",
                "current_items_delivered", "activity_index", "outcome_index", "is_busier_not_faster",
                "divergence_status",
            ),
            _DIVERGENCE_WEEKLY,
        ),
        Query(
            "investment_monthly",
            "Spend, revenue and customer scores beside delivery per team (and the whole organisation) and month",
            "Investment (`business_measures`, `rpt_investment_monthly`)",
            (
                "team_key", "team_name", "month_start", "is_org_rollup", "ai_tool_spend", "infrastructure_spend",
                "delivery_spend", "infrastructure_to_ai_spend_ratio", "infrastructure_to_ai_spend_target",
                "is_below_infrastructure_ratio_target", "revenue", "headcount", "revenue_per_engineer", "csat",
                "csat_responses", "nps", "nps_responses", "deployments", "customer_requests_delivered",
                "spend_per_deployment", "spend_per_delivered_request", "missing_reason",
            ),
            _INVESTMENT_MONTHLY,
        ),
        Query(
            "ai_pr_comparison",
            "AI-assisted vs other merged pull requests per team and period, with 95% intervals",
            "AI pull request comparison (`rpt_ai_pr_comparison`)",
            (
                "team_key", "team_name", "period", "period_start", "period_end", "measure", "statistic",
                "measure_order", "ai_value", "other_value", "ai_units", "other_units", "difference",
                "difference_ci_low", "difference_ci_high", "comparison_status",
            ),
            _AI_PR_COMPARISON,
        ),
        Query(
            "data_freshness",
            "When each source's stream was last loaded, with its files, records and quarantined records",
            "Data freshness",
            ("source_instance", "stream", "last_loaded_at", "landing_files", "records", "quarantined_records"),
            _DATA_FRESHNESS,
        ),
        Query(
            "data_status",
            "When the data was last loaded, the weeks it covers and the data-quality counts",
            "Metric definitions",
            (
                "last_loaded_at", "first_week", "last_week", "landing_files_loaded", "invalid_values",
                "excluded_records", "quarantined_records", "rejected_files",
            ),
            _DATA_STATUS,
        ),
    )
}  # fmt: skip


def run(conn, name: str) -> tuple[list[str], list[tuple]]:
    """Run one ready-made query on a DuckDB connection (open the published file read-only)."""
    cursor = conn.execute(QUERIES[name].sql)
    return [column[0] for column in cursor.description], cursor.fetchall()
