{#-
    Deployments pushed by other tools (docs/EVENTS.md, METRICS.md "Deployments"): for a repository whose
    rule says `via: pushed_events`, or a service of it whose rule does, each deployment event naming that
    repository. An event's `service` that names a configured service of the repository (ignoring case)
    is the deployment's service; any other service name is the tool's label only (task). `success` deployed at
    finished_at; `failure` or `error` is a failed attempt at finished_at; `in_progress` is neither until
    a later event with the same id says how it ended.
-#}
with

deployment_events as (

    select * from {{ ref('stg_events__deployments') }}

),

deployment_sources as (

    select * from {{ ref('deployment_sources') }}

),

services as (

    select * from {{ ref('stg_config__services') }}

),

pushed as (

    select
        deployment_events.*,
        deployment_sources.repository as configured_repository,  -- the repository as the config spells it
        coalesce(services.service_key, deployment_sources.service_key) as service_key
    from deployment_events
    left join services
        on
            lower(deployment_events.repository) = lower(services.repository)
            and lower(deployment_events.service) = lower(services.service_key)
    inner join deployment_sources
        on
            lower(deployment_events.repository) = lower(deployment_sources.repository)
            and deployment_sources.via = 'pushed_events'
            and (deployment_sources.service_key is null or services.service_key = deployment_sources.service_key)
    where not deployment_events.is_deleted and deployment_events.has_required_values
    -- the service's own rule before the repository's
    qualify
        row_number() over (
            partition by deployment_events.source_instance, deployment_events.event_id
            order by deployment_sources.service_key nulls last
        ) = 1

),

final as (

    select
        -- event ids are the pushing tool's text: a negative 62-bit hash never meets a GitHub id
        {{ pushed_event_deployment_id('source_instance', 'event_id') }} as deployment_id,
        'pushed_events' as deployment_source,
        event_id as source_deployment_id,
        configured_repository as repository,
        service_key,
        environment,
        commit_sha,
        null::varchar as ref,
        service as task,
        actor as creator_login,
        started_at as created_at,
        case when status = 'success' then finished_at end as deployed_at,
        case when status in ('failure', 'error') then finished_at end as failed_at,
        status as latest_status_state,
        null::integer as status_count,
        status = 'success' as is_successful
    from pushed

)

select * from final
