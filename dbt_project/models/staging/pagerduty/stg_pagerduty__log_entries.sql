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
        coalesce(parent_id, payload ->> '$.incident.id') as incident_id,
        payload ->> '$.type' as log_entry_type,
        payload ->> '$.summary' as summary,
        payload ->> '$.agent.id' as agent_id,
        payload ->> '$.agent.type' as agent_type,
        payload ->> '$.channel.type' as channel_type,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
