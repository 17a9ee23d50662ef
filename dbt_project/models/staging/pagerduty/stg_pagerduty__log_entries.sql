{%- set conversions = [
    conversion('incident_id', "coalesce(parent_id, payload ->> '$.incident.id')", 'text', required=true),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
] -%}

with

source as (

    select * from {{ source('pagerduty', 'pagerduty__log_entries') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as log_entry_id,
        {{ converted_columns(conversions) }},
        payload ->> '$.type' as log_entry_type,
        payload ->> '$.summary' as summary,
        payload ->> '$.agent.id' as agent_id,
        payload ->> '$.agent.type' as agent_type,
        payload ->> '$.channel.type' as channel_type,
        {{ invalid_values('pagerduty__log_entries', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
