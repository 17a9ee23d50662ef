-- rpt_dora_weekly must account for every team-owned counted production deployment (an environment copy
-- counts once, with the deployment it copies) and every deployed change with a lead time, exactly once
-- (no week lost at the edges of the spine).
with

report as (

    select
        sum(deployments) as deployments,
        sum(changes_deployed) as changes_deployed
    from {{ ref('rpt_dora_weekly') }}

),

deployments as (

    select count(*) as deployments
    from {{ ref('fct_deployments') }}
    where is_counted_deployment and team_key is not null

),

changes as (

    select count(*) as changes_deployed
    from {{ ref('fct_changes') }}
    where lead_time_hours is not null and team_key is not null

)

select
    report.deployments as report_deployments,
    deployments.deployments as fact_deployments,
    report.changes_deployed as report_changes,
    changes.changes_deployed as fact_changes
from report
cross join deployments
cross join changes
where
    coalesce(report.deployments, 0) != deployments.deployments
    or coalesce(report.changes_deployed, 0) != changes.changes_deployed
