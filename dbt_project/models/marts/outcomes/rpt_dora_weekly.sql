{#-
    DORA metrics per team and week (METRICS.md "rpt_dora_weekly", "Outcomes in rpt_dora_weekly"): dense
    over every team and every week of dim_weeks (the one week spine). Deployments, lead times, failures,
    recovery, rework and PR coverage belong to the repository's team; commits, lines, PRs opened/merged
    and reviews given (activity, beside the outcomes) to the author's team; incidents and work items to their own team.
    Ratios and percentiles are null when their sample is empty; bands come from the dora_bands seed.
-#}
with

teams as (

    select * from {{ ref('teams') }}

),

weeks as (

    select * from {{ ref('dim_weeks') }}

),

deployments as (

    select * from {{ ref('fct_deployments') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

activity as (

    select * from {{ ref('fct_activity_daily') }}

),

incidents as (

    select * from {{ ref('fct_incidents') }}

),

work_items as (

    select * from {{ ref('work_items') }}

),

work_item_pull_requests as (

    select * from {{ ref('work_item_pull_requests') }}

),

classified_work_items as (

    select * from {{ ref('fct_work_items') }}

),

weekly_deployments as (

    select
        team_key,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(*) as deployments,
        count(*) filter (where is_change_measurable) as change_measurable_deployments,
        count(distinct cast(deployed_at as date)) as deploy_days
    from deployments
    where is_counted_deployment and team_key is not null
    group by all

),

weekly_each_service_deploy_days as (

    select
        team_key,
        service,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(distinct cast(deployed_at as date)) as deploy_days
    from deployments
    where is_counted_deployment and team_key is not null
    group by all

),

-- deployment frequency is a service's (METRICS.md "DORA bands"): the team's busiest service's deploy days
weekly_service_deploy_days as (

    select
        team_key,
        week_start,
        max(deploy_days) as busiest_service_deploy_days
    from weekly_each_service_deploy_days
    group by all

),

weekly_lead_times as (

    select
        team_key,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        {{ lead_time_aggregates() }}
    from changes
    where deployed_at is not null and lead_time_hours is not null and team_key is not null
    group by all

),

weekly_activity as (

    select
        team_key,
        cast(date_trunc('week', activity_date) as date) as week_start,
        sum(commits) as commits,
        sum(lines_added) as lines_added,
        sum(lines_deleted) as lines_deleted,
        sum(prs_opened) as prs_opened,
        sum(prs_merged) as prs_merged,
        sum(reviews_given) as reviews_given
    from activity
    where team_key is not null
    group by all

),

-- attempts (successes by deployed_at, failed attempts by their failure), failed attempts and change failures
weekly_failures as (

    select
        team_key,
        cast(date_trunc('week', attempted_at) as date) as week_start,
        {{ deployment_failure_aggregates() }}
    from deployments
    where is_deployment_attempt and team_key is not null
    group by all

),

-- work items whose fix is rework: incidents, and bugs found in production
rework_work_items as (

    select work_item_id from classified_work_items
    where canonical_type = 'incident' or coalesce(is_found_in_production, false)

),

rework_deployments as (

    select distinct changes.deployment_id
    from changes
    inner join work_item_pull_requests
        on changes.pull_request_key = work_item_pull_requests.pull_request_key
    inner join rework_work_items
        on work_item_pull_requests.work_item_id = rework_work_items.work_item_id
    where changes.deployment_id is not null

),

weekly_rework as (

    select
        deployments.team_key,
        cast(date_trunc('week', deployments.deployed_at) as date) as week_start,
        count(*) as rework_deployments
    from deployments
    inner join rework_deployments
        on deployments.deployment_id = rework_deployments.deployment_id
    where deployments.is_counted_deployment and deployments.team_key is not null
    group by all

),

weekly_merged_prs as (

    select
        team_key,
        cast(date_trunc('week', merged_at) as date) as week_start,
        count(*) as merged_prs,
        count(*) filter (where is_deployed) as merged_prs_deployed
    from changes
    where team_key is not null
    group by all

),

weekly_incidents as (

    select
        team_key,
        cast(date_trunc('week', created_at) as date) as week_start,
        count(*) as incidents,
        count(deployment_id) as incidents_attributed
    from incidents
    where team_key is not null
    group by all

),

linked_work_items as (

    select distinct work_item_id from work_item_pull_requests

),

weekly_work_items as (

    select
        work_items.team_key,
        cast(date_trunc('week', work_items.resolved_at) as date) as week_start,
        count(*) as work_items_resolved,
        count(linked_work_items.work_item_id) as work_items_linked
    from work_items
    left join linked_work_items
        on work_items.work_item_id = linked_work_items.work_item_id
    where work_items.resolved_at is not null and work_items.team_key is not null
    group by all

),

spine as (

    select
        teams.team_key,
        weeks.week_start
    from teams
    cross join weeks

),

report as (

    select
        spine.team_key || ':' || strftime(spine.week_start, '%Y-%m-%d') as team_week_id,
        spine.team_key,
        spine.week_start,
        cast(coalesce(weekly_deployments.deployments, 0) as integer) as deployments,
        cast(coalesce(weekly_deployments.deploy_days, 0) as integer) as deploy_days,
        cast(coalesce(weekly_service_deploy_days.busiest_service_deploy_days, 0) as integer)
            as busiest_service_deploy_days,
        weekly_deployments.change_measurable_deployments / nullif(weekly_deployments.deployments, 0)
            as change_measurement_coverage,
        weekly_lead_times.lead_time_p50_hours,
        weekly_lead_times.lead_time_p85_hours,
        cast(coalesce(weekly_lead_times.changes_deployed, 0) as integer) as changes_deployed,
        cast(coalesce(weekly_activity.commits, 0) as integer) as commits,
        cast(coalesce(weekly_activity.lines_added, 0) as bigint) as lines_added,
        cast(coalesce(weekly_activity.lines_deleted, 0) as bigint) as lines_deleted,
        cast(coalesce(weekly_activity.prs_opened, 0) as integer) as prs_opened,
        cast(coalesce(weekly_activity.prs_merged, 0) as integer) as prs_merged,
        cast(coalesce(weekly_activity.reviews_given, 0) as integer) as reviews_given,
        {{ deployment_failure_columns('weekly_failures') }},
        cast(coalesce(weekly_rework.rework_deployments, 0) as integer) as rework_deployments,
        coalesce(weekly_rework.rework_deployments, 0) / nullif(weekly_deployments.deployments, 0)
            as rework_rate,
        cast(coalesce(weekly_merged_prs.merged_prs, 0) as integer) as merged_prs,
        weekly_merged_prs.merged_prs_deployed / nullif(weekly_merged_prs.merged_prs, 0)
            as pr_deployment_coverage,
        cast(coalesce(weekly_incidents.incidents, 0) as integer) as incidents,
        weekly_incidents.incidents_attributed / nullif(weekly_incidents.incidents, 0)
            as incident_attribution_coverage,
        cast(coalesce(weekly_work_items.work_items_resolved, 0) as integer) as work_items_resolved,
        weekly_work_items.work_items_linked / nullif(weekly_work_items.work_items_resolved, 0)
            as work_item_pr_coverage
    from spine
    left join weekly_deployments
        on
            spine.team_key = weekly_deployments.team_key
            and spine.week_start = weekly_deployments.week_start
    left join weekly_service_deploy_days
        on
            spine.team_key = weekly_service_deploy_days.team_key
            and spine.week_start = weekly_service_deploy_days.week_start
    left join weekly_lead_times
        on
            spine.team_key = weekly_lead_times.team_key
            and spine.week_start = weekly_lead_times.week_start
    left join weekly_activity
        on
            spine.team_key = weekly_activity.team_key
            and spine.week_start = weekly_activity.week_start
    left join weekly_failures
        on
            spine.team_key = weekly_failures.team_key
            and spine.week_start = weekly_failures.week_start
    left join weekly_rework
        on
            spine.team_key = weekly_rework.team_key
            and spine.week_start = weekly_rework.week_start
    left join weekly_merged_prs
        on
            spine.team_key = weekly_merged_prs.team_key
            and spine.week_start = weekly_merged_prs.week_start
    left join weekly_incidents
        on
            spine.team_key = weekly_incidents.team_key
            and spine.week_start = weekly_incidents.week_start
    left join weekly_work_items
        on
            spine.team_key = weekly_work_items.team_key
            and spine.week_start = weekly_work_items.week_start

),

final as (

    select
        *,
        {{ dora_band_columns('busiest_service_deploy_days') }}
    from report

)

select * from final
