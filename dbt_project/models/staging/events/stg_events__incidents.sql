{#-
    Pushed incident events (docs/EVENTS.md): one row per source instance and event id, the latest version
    (a re-push with resolved_at supersedes the open one; same order as stg_events__deployments).
-#}
{%- set conversions = [
    conversion('event_id', "payload ->> '$.event.id'", 'text', required=true),
    conversion('service', "payload ->> '$.event.service'", 'text', required=true),
    conversion('title', "payload ->> '$.event.title'", 'text', required=true),
    conversion('urgency', "payload ->> '$.event.urgency'", 'text', required=true),
    conversion('started_at', "payload ->> '$.event.started_at'", 'timestamp', required=true),
    conversion('resolved_at', "payload ->> '$.event.resolved_at'", 'timestamp'),
    conversion('schema_version', "regexp_extract(payload ->> '$.event.schema', '/v([0-9]+)$', 1)", 'integer'),
] -%}

with

source as (

    select * from {{ source('events', 'events__incidents') }}

),

latest as (

    select * from source
    -- a corrected event in the same file as the one it corrects: the later line wins
    {{ latest_version(then_by="try_cast(payload ->> '$.sequence' as bigint) desc") }}

),

converted as (

    select
        source_instance,
        {{ converted_columns(conversions) }},
        payload ->> '$.event.repository' as repository,
        payload ->> '$.event.deployment_id' as deployment_event_id,
        lower(payload ->> '$.event.sha') as commit_sha,
        payload ->> '$.event.url' as url,
        payload ->> '$.file' as source_file,
        try_cast(payload ->> '$.line' as integer) as source_line,
        {{ invalid_values('events__incidents', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

),

final as (

    select
        source_instance,
        event_id,
        service,
        repository,
        title,
        urgency,
        started_at,
        resolved_at,
        deployment_event_id,
        commit_sha,
        url,
        schema_version,
        source_file,
        source_line,
        invalid_values,
        has_required_values,
        is_deleted,
        extracted_at
    from converted

)

select * from final
