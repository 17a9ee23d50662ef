-- A change's deployment must ship its merge commit, deploy after the previous deployment of the same
-- repository/environment, and never be the first deployment there (first-deployment exclusion).
with

changes as (

    select * from {{ ref('fct_changes') }}
    where deployment_id is not null

),

deployments as (

    select * from {{ ref('fct_deployments') }}

),

deployment_changes as (

    select * from {{ ref('deployment_changes') }}

)

select changes.pull_request_key
from changes
inner join deployments
    on changes.deployment_id = deployments.deployment_id
left join deployment_changes
    on
        changes.deployment_id = deployment_changes.deployment_id
        and changes.merge_commit_sha = deployment_changes.commit_sha
where
    deployment_changes.deployment_id is null
    or deployments.is_first_production_deployment
    or not deployments.is_production_deployment
