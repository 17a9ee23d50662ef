{#-
    One row per incident with the successful production deployment it is attributed to (METRICS.md,
    "Incidents"). Only a deployment at or before the incident (deployed_at <= created_at) can be its
    cause, so recovery is never negative. The first rule that finds a deployment wins:
    1. explicit_deployment: the deployment the incident names, when it is a successful production one;
    2. explicit_sha: the latest production deployment of the incident's repository whose sha starts with
       the named sha; else the deployment of the incident's repository that shipped that commit
       (deployment_changes; the first one, as in fct_changes);
    3. window: the latest production deployment of the incident's repository with
       created_at - window < deployed_at that shipped a commit, or is its environment's first (what
       that shipped is unknown): a redeploy or a rollback ships nothing and causes nothing (ties on
       deployed_at: the higher id);
    4. none.
    is_production_failure: the incident's urgency is one of the production_failure_urgencies var; only
    those make their deployment a change failure (fct_deployments).
    An incident that follows a configured service (service_key) is attributed only to that service's
    deployments (METRICS.md "Services"); one that names only a repository, to any of its services'.
    Reads the canonical deployments (not fct_deployments, which reads this model).
-#}
{%- set window_hours = var('incident_attribution_window_hours') %}

with

incidents as (

    select * from {{ ref('incidents') }}

),

deployments as (

    select * from {{ ref('deployments') }}

),

deployment_changes as (

    select * from {{ ref('deployment_changes') }}

),

production_deployments as (

    select
        deployment_id,
        repository,
        service,
        commit_sha,
        deployed_at,
        row_number() over (
            partition by repository, service, environment
            order by deployed_at, deployment_id
        ) = 1 as is_first_in_environment
    from deployments
    where is_production and is_successful

),

deployments_shipping_commits as (

    select distinct deployment_id from deployment_changes
    where touches_service

),

named_deployments as (

    select
        incidents.incident_id,
        production_deployments.deployment_id,
        production_deployments.deployed_at,
        1 as attribution_rank,
        'explicit_deployment' as attribution_method
    from incidents
    inner join production_deployments
        on
            incidents.explicit_deployment_id = production_deployments.deployment_id
            and incidents.created_at >= production_deployments.deployed_at

),

-- a named sha is 7-40 hex digits: its first 7 are an equi-join key, the rest a prefix match
named_shas as (

    select
        incident_id,
        repository,
        service_key,
        created_at,
        lower(explicit_sha) as explicit_sha,
        left(lower(explicit_sha), 7) as sha_prefix
    from incidents
    where explicit_sha is not null

),

named_sha_deployments as (

    select
        named_shas.incident_id,
        production_deployments.deployment_id,
        production_deployments.deployed_at,
        2 as attribution_rank,
        'explicit_sha' as attribution_method
    from named_shas
    inner join production_deployments
        on
            named_shas.repository = production_deployments.repository
            and coalesce(named_shas.service_key, production_deployments.service) = production_deployments.service
            and named_shas.sha_prefix = left(lower(production_deployments.commit_sha), 7)
            and starts_with(lower(production_deployments.commit_sha), named_shas.explicit_sha)
            and named_shas.created_at >= production_deployments.deployed_at
    qualify
        row_number() over (
            partition by named_shas.incident_id
            order by production_deployments.deployed_at desc, production_deployments.deployment_id desc
        ) = 1

),

-- else the deployment that first shipped the named commit, when that was at or before the incident
-- (filtering before ranking is the same: if the first shipment was later, every one was)
named_sha_shipments as (

    select
        named_shas.incident_id,
        deployment_changes.deployment_id,
        deployment_changes.deployed_at,
        3 as attribution_rank,
        'explicit_sha' as attribution_method
    from named_shas
    inner join deployment_changes
        on
            named_shas.repository = deployment_changes.repository
            and coalesce(named_shas.service_key, deployment_changes.service) = deployment_changes.service
            and named_shas.sha_prefix = left(lower(deployment_changes.commit_sha), 7)
            and starts_with(lower(deployment_changes.commit_sha), named_shas.explicit_sha)
    where deployment_changes.deployed_at <= named_shas.created_at and deployment_changes.touches_service
    qualify
        row_number() over (
            partition by named_shas.incident_id
            order by deployment_changes.deployed_at asc, deployment_changes.deployment_id asc
        ) = 1

),

window_deployments as (

    select
        incidents.incident_id,
        production_deployments.deployment_id,
        production_deployments.deployed_at,
        4 as attribution_rank,
        'window' as attribution_method
    from incidents
    inner join production_deployments
        on
            incidents.repository = production_deployments.repository
            and coalesce(incidents.service_key, production_deployments.service) = production_deployments.service
            and incidents.created_at >= production_deployments.deployed_at
            -- created_at - window < deployed_at: an edge exactly `window` hours back is outside
            and {{ hours_between('production_deployments.deployed_at', 'incidents.created_at') }}
            < {{ window_hours }}
    left join deployments_shipping_commits
        on production_deployments.deployment_id = deployments_shipping_commits.deployment_id
    where
        deployments_shipping_commits.deployment_id is not null
        or production_deployments.is_first_in_environment
    qualify
        row_number() over (
            partition by incidents.incident_id
            order by production_deployments.deployed_at desc, production_deployments.deployment_id desc
        ) = 1

),

candidates as (

    select * from named_deployments
    union all
    select * from named_sha_deployments
    union all
    select * from named_sha_shipments
    union all
    select * from window_deployments

),

attributions as (

    select * from candidates
    qualify row_number() over (partition by incident_id order by attribution_rank) = 1

),

final as (

    select
        incidents.incident_id,
        incidents.incident_source,
        incidents.incident_number,
        incidents.title,
        incidents.service_name,
        incidents.repository,
        incidents.service_key,
        incidents.team_key,
        incidents.severity,
        incidents.urgency,
        incidents.priority,
        incidents.status,
        {{ matches_any('incidents.urgency', var('production_failure_urgencies'), 'equals') }}
            as is_production_failure,
        incidents.created_at,
        incidents.acknowledged_at,
        incidents.resolved_at,
        attributions.deployment_id,
        attributions.deployed_at,
        coalesce(attributions.attribution_method, 'none') as attribution_method,
        cast({{ window_hours }} as double) as attribution_window_hours,
        {{ hours_between('incidents.created_at', 'incidents.acknowledged_at') }} as time_to_acknowledge_hours,
        {{ hours_between('incidents.created_at', 'incidents.resolved_at') }} as time_to_resolve_hours,
        {{ hours_between('attributions.deployed_at', 'incidents.resolved_at') }} as recovery_hours
    from incidents
    left join attributions
        on incidents.incident_id = attributions.incident_id

)

select * from final
