-- An attributed incident points at a successful production deployment; apart from an explicitly
-- named deployment, that deployment was deployed at or before the incident, and a window
-- attribution is of the incident's repository and inside the window.
with

incidents as (

    select * from {{ ref('fct_incidents') }}
    where deployment_id is not null

),

deployments as (

    select * from {{ ref('fct_deployments') }}

)

select incidents.incident_id
from incidents
left join deployments
    on incidents.deployment_id = deployments.deployment_id
where
    deployments.deployment_id is null
    or not deployments.is_production_deployment
    or incidents.deployed_at != deployments.deployed_at
    or incidents.attribution_method = 'none'
    or (incidents.attribution_method != 'explicit_deployment' and deployments.deployed_at > incidents.created_at)
    or (
        incidents.attribution_method = 'window'
        and (
            deployments.repository != incidents.repository
            or {{ hours_between('deployments.deployed_at', 'incidents.created_at') }}
            >= incidents.attribution_window_hours
        )
    )
