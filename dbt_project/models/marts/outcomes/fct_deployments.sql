{#-
    Every GitHub deployment (METRICS.md "Deployments"): successful production deployments count,
    the others are kept with is_successful / is_production false.
-#}
with

deployments as (

    select * from {{ ref('deployments') }}

),

deployment_changes as (

    select * from {{ ref('deployment_changes') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

production_sequence as (

    select
        deployment_id,
        row_number() over by_environment as production_deployment_number,
        lag(deployment_id) over by_environment as previous_deployment_id
    from deployments
    where is_production and is_successful
    window by_environment as (
        partition by repository, environment
        order by deployed_at, deployment_id
    )

),

commits_shipped as (

    select
        deployment_id,
        count(*) as commits_shipped
    from deployment_changes
    group by deployment_id

),

changes_shipped as (

    select
        deployment_id,
        count(*) as changes_shipped,
        median(lead_time_hours) as lead_time_median_hours
    from changes
    where deployment_id is not null
    group by deployment_id

),

final as (

    select
        deployments.deployment_id,
        deployments.repository,
        deployments.repository as service,
        repositories.team_key,
        deployments.environment,
        deployments.commit_sha,
        deployments.ref,
        deployments.creator_login,
        deployments.created_at,
        deployments.deployed_at,
        deployments.failed_at,
        deployments.latest_status_state,
        deployments.is_production,
        deployments.is_successful,
        deployments.is_production and deployments.is_successful as is_production_deployment,
        production_sequence.production_deployment_number,
        production_sequence.previous_deployment_id,
        coalesce(production_sequence.production_deployment_number = 1, false)
            as is_first_production_deployment,
        coalesce(commits_shipped.commits_shipped, 0) as commits_shipped,
        coalesce(changes_shipped.changes_shipped, 0) as changes_shipped,
        changes_shipped.lead_time_median_hours
    from deployments
    left join repositories
        on deployments.repository = repositories.repository
    left join production_sequence
        on deployments.deployment_id = production_sequence.deployment_id
    left join commits_shipped
        on deployments.deployment_id = commits_shipped.deployment_id
    left join changes_shipped
        on deployments.deployment_id = changes_shipped.deployment_id

)

select * from final
