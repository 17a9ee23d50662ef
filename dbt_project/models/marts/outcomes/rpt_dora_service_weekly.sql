{#-
    DORA per service and week (METRICS.md "Services", "rpt_dora_service_weekly"): dense over every service
    and every week of dim_weeks. A service is a configured one or a repository that deploys as a whole
    (fct_deployments.service); its team is its repository's. Deployments, failures and recovery are its
    deployments'; lead times are those of the changes its deployments delivered first. The aggregates are
    rpt_dora_weekly's (macros/dora_aggregates.sql), so a team's services add up to the team
    (assert_service_dora_rolls_up_to_teams); percentiles, like bands, are the service's own.
-#}
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

configured_services as (

    select * from {{ ref('stg_config__services') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

services as (

    select distinct
        service,
        repository,
        team_key
    from deployments
    union
    select
        configured_services.service_key as service,
        repositories.repository,
        repositories.team_key
    from configured_services
    inner join repositories
        on lower(configured_services.repository) = lower(repositories.repository)

),

weekly_deployments as (

    select
        service,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(*) as deployments,
        count(distinct cast(deployed_at as date)) as deploy_days
    from deployments
    where is_counted_deployment
    group by all

),

weekly_lead_times as (

    select
        deployments.service,
        cast(date_trunc('week', changes.deployed_at) as date) as week_start,
        {{ lead_time_aggregates() }}
    from changes
    inner join deployments
        on changes.deployment_id = deployments.deployment_id
    where changes.lead_time_hours is not null
    group by all

),

weekly_failures as (

    select
        service,
        cast(date_trunc('week', attempted_at) as date) as week_start,
        {{ deployment_failure_aggregates() }}
    from deployments
    where is_deployment_attempt
    group by all

),

spine as (

    select
        services.service,
        services.repository,
        services.team_key,
        weeks.week_start
    from services
    cross join weeks

),

report as (

    select
        spine.service || ':' || strftime(spine.week_start, '%Y-%m-%d') as service_week_id,
        spine.service,
        spine.repository,
        spine.team_key,
        spine.week_start,
        cast(coalesce(weekly_deployments.deployments, 0) as integer) as deployments,
        cast(coalesce(weekly_deployments.deploy_days, 0) as integer) as deploy_days,
        weekly_lead_times.lead_time_p50_hours,
        weekly_lead_times.lead_time_p85_hours,
        cast(coalesce(weekly_lead_times.changes_deployed, 0) as integer) as changes_deployed,
        {{ deployment_failure_columns('weekly_failures') }}
    from spine
    left join weekly_deployments
        on
            spine.service = weekly_deployments.service
            and spine.week_start = weekly_deployments.week_start
    left join weekly_lead_times
        on
            spine.service = weekly_lead_times.service
            and spine.week_start = weekly_lead_times.week_start
    left join weekly_failures
        on
            spine.service = weekly_failures.service
            and spine.week_start = weekly_failures.week_start

),

final as (

    select
        *,
        {{ dora_band_columns('deploy_days') }}
    from report

)

select * from final
