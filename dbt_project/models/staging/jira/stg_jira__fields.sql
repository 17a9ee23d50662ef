{%- set conversions = [
    conversion('is_custom', "payload ->> '$.custom'", 'boolean', default='false'),
] -%}

with

source as (

    select * from {{ source('jira', 'jira__fields') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as field_id,
        payload ->> '$.name' as field_name,
        {{ converted_columns(conversions) }},
        payload ->> '$.schema.type' as schema_type,
        payload ->> '$.schema.custom' as schema_custom,
        {{ invalid_values('jira__fields', conversions) }} as invalid_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
