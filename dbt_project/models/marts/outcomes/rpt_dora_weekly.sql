{#-
    DORA throughput per team and week (METRICS.md "rpt_dora_weekly"): dense over every team and every
    week from the first to the last week with a deployment, merged pull request or commit of any team.
    Deployments and lead times belong to the repository's team; commits, lines, PRs opened/merged and
    reviews given (activity, beside the outcomes) to the author's team.
-#}
with

teams as (

    select * from {{ ref('teams') }}

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

weekly_deployments as (

    select
        team_key,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(*) as deployments,
        count(distinct cast(deployed_at as date)) as deploy_days
    from deployments
    where is_production_deployment and team_key is not null
    group by all

),

weekly_lead_times as (

    select
        team_key,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(lead_time_hours) as changes_deployed,
        quantile_cont(lead_time_hours, 0.5) as lead_time_p50_hours,
        quantile_cont(lead_time_hours, 0.85) as lead_time_p85_hours
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

active_weeks as (

    select week_start from weekly_deployments
    union all
    select week_start from weekly_activity
    where commits > 0 or prs_merged > 0

),

week_range as (

    select
        min(week_start) as first_week,
        max(week_start) as last_week
    from active_weeks

),

weeks as (

    select cast(unnest(generate_series(first_week, last_week, interval 7 day)) as date) as week_start
    from week_range
    where first_week is not null

),

spine as (

    select
        teams.team_key,
        weeks.week_start
    from teams
    cross join weeks

),

final as (

    select
        spine.team_key || ':' || strftime(spine.week_start, '%Y-%m-%d') as team_week_id,
        spine.team_key,
        spine.week_start,
        cast(coalesce(weekly_deployments.deployments, 0) as integer) as deployments,
        cast(coalesce(weekly_deployments.deploy_days, 0) as integer) as deploy_days,
        weekly_lead_times.lead_time_p50_hours,
        weekly_lead_times.lead_time_p85_hours,
        cast(coalesce(weekly_lead_times.changes_deployed, 0) as integer) as changes_deployed,
        cast(coalesce(weekly_activity.commits, 0) as integer) as commits,
        cast(coalesce(weekly_activity.lines_added, 0) as bigint) as lines_added,
        cast(coalesce(weekly_activity.lines_deleted, 0) as bigint) as lines_deleted,
        cast(coalesce(weekly_activity.prs_opened, 0) as integer) as prs_opened,
        cast(coalesce(weekly_activity.prs_merged, 0) as integer) as prs_merged,
        cast(coalesce(weekly_activity.reviews_given, 0) as integer) as reviews_given
    from spine
    left join weekly_deployments
        on
            spine.team_key = weekly_deployments.team_key
            and spine.week_start = weekly_deployments.week_start
    left join weekly_lead_times
        on
            spine.team_key = weekly_lead_times.team_key
            and spine.week_start = weekly_lead_times.week_start
    left join weekly_activity
        on
            spine.team_key = weekly_activity.team_key
            and spine.week_start = weekly_activity.week_start

)

select * from final
