{#-
    Deployments pushed by other tools (docs/EVENTS.md, METRICS.md "Deployments"): for a repository whose
    rule says `via: pushed_events`, each deployment event naming that repository. `success` deployed at
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

pushed as (

    select
        deployment_events.*,
        deployment_sources.repository as configured_repository  -- the repository as the config spells it
    from deployment_events
    inner join deployment_sources
        on
            lower(deployment_events.repository) = lower(deployment_sources.repository)
            and deployment_sources.via = 'pushed_events'
    where not deployment_events.is_deleted and deployment_events.has_required_values

),

final as (

    select
        -- event ids are the pushing tool's text: a negative 62-bit hash never meets a GitHub id
        {{ pushed_event_deployment_id('source_instance', 'event_id') }} as deployment_id,
        'pushed_events' as deployment_source,
        event_id as source_deployment_id,
        configured_repository as repository,
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
