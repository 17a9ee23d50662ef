-- No fact a weekly report counts falls outside the week spine (METRICS.md "Weeks"): every dated fact row,
-- with the filter and the date its report uses, has its week in dim_weeks; returns the rows that do not.
-- The reports are dense on dim_weeks, so a fact dated outside it would silently drop out of them.
with

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

classified_work_items as (

    select * from {{ ref('fct_work_items') }}

),

pull_request_cycle as (

    select * from {{ ref('fct_pull_request_cycle') }}

),

facts as (

    -- rpt_dora_weekly
    select
        'production deployment' as fact,
        cast(deployment_id as varchar) as fact_id,
        team_key,
        deployed_at as dated_at
    from deployments
    where is_production_deployment and team_key is not null
    union all
    select
        'deployment attempt' as fact,
        cast(deployment_id as varchar) as fact_id,
        team_key,
        attempted_at as dated_at
    from deployments
    where is_deployment_attempt and team_key is not null
    union all
    select
        'deployed change' as fact,
        pull_request_key as fact_id,
        team_key,
        deployed_at as dated_at
    from changes
    where deployed_at is not null and lead_time_hours is not null and team_key is not null
    union all
    select
        'merged pull request' as fact,
        pull_request_key as fact_id,
        team_key,
        merged_at as dated_at
    from changes
    where team_key is not null
    union all
    select
        'activity day' as fact,
        activity_daily_id as fact_id,
        team_key,
        cast(activity_date as timestamp) as dated_at
    from activity
    where team_key is not null
    union all
    select
        'incident' as fact,
        incident_id as fact_id,
        team_key,
        created_at as dated_at
    from incidents
    where team_key is not null
    union all
    select
        'resolved work item' as fact,
        work_item_id as fact_id,
        team_key,
        resolved_at as dated_at
    from work_items
    where resolved_at is not null and team_key is not null
    -- rpt_request_to_production_weekly
    union all
    select
        'delivered work item' as fact,
        work_item_id as fact_id,
        team_key,
        deployed_at as dated_at
    from classified_work_items
    where is_delivered and team_key is not null
    -- rpt_defect_escape_weekly
    union all
    select
        'bug' as fact,
        work_item_id as fact_id,
        team_key,
        created_at as dated_at
    from classified_work_items
    where canonical_type = 'bug' and team_key is not null and created_at is not null
    -- rpt_bottleneck_weekly
    union all
    select
        'pull request cycle' as fact,
        pull_request_key as fact_id,
        team_key,
        deployed_at as dated_at
    from pull_request_cycle
    where deployed_at is not null and team_key is not null

),

final as (

    select
        facts.fact,
        facts.fact_id,
        facts.team_key,
        facts.dated_at,
        cast(date_trunc('week', facts.dated_at) as date) as week_start
    from facts
    left join weeks
        on cast(date_trunc('week', facts.dated_at) as date) = weeks.week_start
    where weeks.week_start is null

)

select * from final
