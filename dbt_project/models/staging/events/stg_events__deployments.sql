{#-
    Pushed deployment events (docs/EVENTS.md): one row per source instance and event id, the latest version.
    A corrected event re-pushed with the same id (in_progress, then success) supersedes the earlier one:
    the latest landed wins, and within one extract run the later file and line (`sequence`).
-#}
{%- set conversions = [
    conversion('event_id', "payload ->> '$.event.id'", 'text', required=true),
    conversion('service', "payload ->> '$.event.service'", 'text', required=true),
    conversion('environment', "payload ->> '$.event.environment'", 'text', required=true),
    conversion('commit_sha', "lower(payload ->> '$.event.sha')", 'text', required=true),
    conversion('started_at', "payload ->> '$.event.started_at'", 'timestamp', required=true),
    conversion('finished_at', "payload ->> '$.event.finished_at'", 'timestamp'),
    conversion('status', "payload ->> '$.event.status'", 'text', required=true),
    conversion('schema_version', "regexp_extract(payload ->> '$.event.schema', '/v([0-9]+)$', 1)", 'integer'),
] -%}

with

source as (

    select * from {{ source('events', 'events__deployments') }}

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
        payload ->> '$.event.url' as url,
        payload ->> '$.event.actor' as actor,
        payload ->> '$.file' as source_file,
        try_cast(payload ->> '$.line' as integer) as source_line,
        {{ invalid_values('events__deployments', conversions) }} as invalid_values,
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
        environment,
        commit_sha,
        started_at,
        finished_at,
        status,
        url,
        actor,
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
