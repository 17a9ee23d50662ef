{%- set conversions = [
    conversion('deployment_status_id', 'record_id', 'bigint', required=true),
    conversion('deployment_id', 'parent_id', 'bigint', required=true),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__deployment_statuses') }}

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
        lower(payload ->> '$.state') as status_state,
        payload ->> '$.environment' as environment,
        payload ->> '$.description' as description,
        payload ->> '$.creator.login' as creator_login,
        {{ invalid_values('github__deployment_statuses', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
