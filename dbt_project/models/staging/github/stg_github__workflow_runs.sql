{%- set conversions = [
    conversion('workflow_run_id', 'record_id', 'bigint', required=true),
    conversion('workflow_id', "payload ->> '$.workflow_id'", 'bigint'),
    conversion('run_number', "payload ->> '$.run_number'", 'integer'),
    conversion('run_attempt', "payload ->> '$.run_attempt'", 'integer', default='1'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp'),
    conversion('started_at', "payload ->> '$.run_started_at'", 'timestamp'),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__workflow_runs') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        {{ converted_columns(conversions) }},
        payload ->> '$.name' as workflow_name,
        payload ->> '$.path' as workflow_path,
        payload ->> '$.actor.login' as actor_login,
        payload ->> '$.event' as event,
        payload ->> '$.status' as status,
        payload ->> '$.conclusion' as conclusion,
        payload ->> '$.head_branch' as head_branch,
        payload ->> '$.head_sha' as head_sha,
        {{ invalid_values('github__workflow_runs', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
