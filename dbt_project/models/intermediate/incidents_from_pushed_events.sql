{#-
    Incidents pushed by other tools (docs/EVENTS.md, METRICS.md "Incidents"), one row per events source and
    event id (staging keeps the latest version: a re-push adding resolved_at supersedes the open one).
    - incident_id `pushed-event:<source_instance>:<event id>`: the part before the first `:` has a `-`, which a
      source name cannot have, so it never meets PagerDuty's `<source_instance>:<incident id>`.
    - The repository the event names (spelled as the warehouse knows it, ignoring case; as written when it
      knows no such repository); an event naming none: its service through the config's services map
      (by name), else the repository whose `owner/name` or name equals the service name. The team is the
      repository's. service_key: the configured service (services[].name) of that repository the event's
      service names, else the one its services map entry names.
    - urgency is the event's own (required: high or low), so production_failure_urgencies judges it as it
      judges PagerDuty's; the event has no severity, priority, description, acknowledgement or assignee.
    - The explicit cause is the event's fields, never its text: `sha` is explicit_sha; `deployment_id` names a
      pushed deployment event of the same events source, whose deployment_id is the same hash
      (pushed_event_deployment_id).
-#}
with

incident_events as (

    select * from {{ ref('stg_events__incidents') }}

),

service_repositories as (

    select * from {{ ref('stg_config__service_repositories') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

services as (

    select * from {{ ref('stg_config__services') }}

),

pushed as (

    select * from incident_events
    where not is_deleted and has_required_values

),

-- an event naming no repository: the config's services map wins, then a repository named like the service
service_repository as (

    {{ service_repository('pushed', ['source_instance', 'event_id'], 'service') }}

),

named_repository as (

    select
        pushed.source_instance,
        pushed.event_id,
        repositories.repository
    from pushed
    inner join repositories
        on lower(trim(pushed.repository)) = lower(repositories.repository)
    qualify
        row_number() over (
            partition by pushed.source_instance, pushed.event_id order by repositories.repository
        ) = 1

),

with_repository as (

    select
        pushed.*,
        case
            when pushed.repository is not null then coalesce(named_repository.repository, trim(pushed.repository))
            else service_repository.repository
        end as incident_repository,
        service_repository.service_key as mapped_service_key
    from pushed
    left join named_repository
        on
            pushed.source_instance = named_repository.source_instance
            and pushed.event_id = named_repository.event_id
    left join service_repository
        on
            pushed.source_instance = service_repository.source_instance
            and pushed.event_id = service_repository.event_id

),

final as (

    select
        'pushed-event:' || with_repository.source_instance || ':' || with_repository.event_id as incident_id,
        'pushed_events' as incident_source,
        with_repository.source_instance,
        null::bigint as incident_number,
        with_repository.title,
        null::varchar as description,
        null::varchar as service_id,
        with_repository.service as service_name,
        with_repository.incident_repository as repository,
        -- the configured service the event names, in its repository; else the services map's
        coalesce(services.service_key, with_repository.mapped_service_key) as service_key,
        repositories.team_key,
        case when with_repository.resolved_at is not null then 'resolved' else 'triggered' end as status,
        null::varchar as severity,
        with_repository.urgency,
        null::varchar as priority,
        with_repository.started_at as created_at,
        null::timestamp as acknowledged_at,
        with_repository.resolved_at,
        case when with_repository.deployment_event_id is not null then {{ pushed_event_deployment_id(
            'with_repository.source_instance', 'with_repository.deployment_event_id'
        ) }} end as explicit_deployment_id,
        with_repository.commit_sha as explicit_sha,
        null::varchar as assignee_person_id
    from with_repository
    left join repositories
        on with_repository.incident_repository = repositories.repository
    left join services
        on
            lower(with_repository.incident_repository) = lower(services.repository)
            and lower(trim(with_repository.service)) = lower(services.service_key)

)

select * from final
