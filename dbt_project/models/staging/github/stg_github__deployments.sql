{%- set conversions = [
    conversion('deployment_id', 'record_id', 'bigint', required=true),
    conversion('commit_sha', "payload ->> '$.sha'", 'text', required=true),
    conversion('is_production_environment', "payload ->> '$.production_environment'", 'boolean'),
    conversion('is_transient_environment', "payload ->> '$.transient_environment'", 'boolean'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__deployments') }}

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
        payload ->> '$.ref' as ref,
        payload ->> '$.task' as task,
        payload ->> '$.environment' as environment,
        payload ->> '$.original_environment' as original_environment,
        payload ->> '$.creator.login' as creator_login,
        {{ invalid_values('github__deployments', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
