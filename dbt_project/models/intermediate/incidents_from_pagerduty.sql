{#-
    Incidents from PagerDuty (METRICS.md "Incidents"), one row per incident; incidents unions them with the
    pushed ones. acknowledged_at and resolved_at come from the first acknowledge / resolve log entry
    (resolved without one: the last_status_change_at); the repository from the config's services map
    (service name or id), else the repository whose `owner/name` or name equals the service name; the team
    is the repository's. An explicit cause (`deployment <id>`, `commit <sha>` / `sha <sha>`) is parsed from
    the title, then the description.
-#}
with

pagerduty_incidents as (

    select * from {{ ref('stg_pagerduty__incidents') }}

),

log_entries as (

    select * from {{ ref('stg_pagerduty__log_entries') }}

),

services as (

    select * from {{ ref('stg_pagerduty__services') }}

),

service_repositories as (

    select * from {{ ref('stg_config__service_repositories') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

identities as (

    select * from {{ ref('identities') }}

),

incidents_one as (

    select * from pagerduty_incidents
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by source_instance, incident_id order by extracted_at desc, updated_at desc nulls last
        ) = 1

),

services_one as (

    select * from services
    qualify row_number() over (partition by source_instance, service_id order by extracted_at desc) = 1

),

log_times as (

    select
        source_instance,
        incident_id,
        min(case when log_entry_type = 'acknowledge_log_entry' then created_at end) as acknowledged_at,
        min(case when log_entry_type = 'resolve_log_entry' then created_at end) as resolved_at
    from log_entries
    where not is_deleted and has_required_values
    group by source_instance, incident_id

),

with_service as (

    select
        incidents_one.*,
        coalesce(services_one.service_name, incidents_one.service_summary) as service_name,
        -- title first: the text searched for an explicit cause (a newline never matches the separators)
        coalesce(incidents_one.title, '') || chr(10) || coalesce(incidents_one.description, '') as cause_text
    from incidents_one
    left join services_one
        on
            incidents_one.source_instance = services_one.source_instance
            and incidents_one.service_id = services_one.service_id

),

-- the config's services map wins (an id match before a name match), then a repository named like the service
incident_repositories as (

    {{ service_repository('with_service', ['source_instance', 'incident_id'], 'service_name', 'service_id') }}

),

final as (

    select
        with_service.source_instance || ':' || with_service.incident_id as incident_id,
        'pagerduty' as incident_source,
        with_service.source_instance,
        with_service.incident_number,
        with_service.title,
        with_service.description,
        with_service.service_id,
        with_service.service_name,
        incident_repositories.repository,
        incident_repositories.service_key,
        repositories.team_key,
        with_service.status,
        with_service.priority_summary as severity,
        with_service.urgency,
        with_service.priority_name as priority,
        with_service.created_at,
        log_times.acknowledged_at,
        coalesce(
            log_times.resolved_at,
            case when with_service.status = 'resolved' then with_service.last_status_change_at end
        ) as resolved_at,
        try_cast(
            nullif(regexp_extract(with_service.cause_text, '(?i)deployment[ _:#-]*([0-9]+)', 1), '') as bigint
        ) as explicit_deployment_id,
        nullif(regexp_extract(with_service.cause_text, '(?:commit|sha)[ _:#=-]*([0-9a-f]{7,40})', 1), '')
            as explicit_sha,
        assignees.person_id as assignee_person_id
    from with_service
    left join log_times
        on
            with_service.source_instance = log_times.source_instance
            and with_service.incident_id = log_times.incident_id
    left join incident_repositories
        on
            with_service.source_instance = incident_repositories.source_instance
            and with_service.incident_id = incident_repositories.incident_id
    left join repositories
        on incident_repositories.repository = repositories.repository
    left join identities as assignees
        on 'pagerduty_user:' || lower(trim(with_service.assignee_user_ids[1])) = assignees.identity_id

)

select * from final
