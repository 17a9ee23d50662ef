-- A team's services add up to the team (METRICS.md "Services"): per team and week, the sums of
-- rpt_dora_service_weekly's counts equal rpt_dora_weekly's, and the busiest service's deploy days are
-- busiest_service_deploy_days. One row per team-week where they differ.
with

services as (

    select * from {{ ref('rpt_dora_service_weekly') }}

),

teams as (

    select * from {{ ref('rpt_dora_weekly') }}

),

summed as (

    select
        team_key,
        week_start,
        sum(deployments) as deployments,
        max(deploy_days) as busiest_service_deploy_days,
        sum(changes_deployed) as changes_deployed,
        sum(deployment_attempts) as deployment_attempts,
        sum(failed_attempts) as failed_attempts,
        sum(failure_rate_deployments) as failure_rate_deployments,
        sum(failed_deployments) as failed_deployments,
        sum(failures_recovered) as failures_recovered
    from services
    where team_key is not null
    group by all

)

select
    teams.team_key,
    teams.week_start
from teams
left join summed
    on
        teams.team_key = summed.team_key
        and teams.week_start = summed.week_start
where
    teams.deployments != coalesce(summed.deployments, 0)
    or teams.busiest_service_deploy_days != coalesce(summed.busiest_service_deploy_days, 0)
    or teams.changes_deployed != coalesce(summed.changes_deployed, 0)
    or teams.deployment_attempts != coalesce(summed.deployment_attempts, 0)
    or teams.failed_attempts != coalesce(summed.failed_attempts, 0)
    or teams.failure_rate_deployments != coalesce(summed.failure_rate_deployments, 0)
    or teams.failed_deployments != coalesce(summed.failed_deployments, 0)
    or teams.failures_recovered != coalesce(summed.failures_recovered, 0)
