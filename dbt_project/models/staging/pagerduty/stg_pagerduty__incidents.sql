with

source as (

    select * from {{ source('pagerduty', 'pagerduty__incidents') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as incident_id,
        cast(payload ->> '$.incident_number' as bigint) as incident_number,
        payload ->> '$.title' as title,
        payload ->> '$.description' as description,
        payload ->> '$.status' as status,
        payload ->> '$.urgency' as urgency,
        payload ->> '$.priority.id' as priority_id,
        payload ->> '$.priority.summary' as priority_summary,
        coalesce(payload ->> '$.priority.name', payload ->> '$.priority.summary') as priority_name,
        payload ->> '$.service.id' as service_id,
        payload ->> '$.service.summary' as service_summary,
        payload ->> '$.escalation_policy.id' as escalation_policy_id,
        payload ->> '$.incident_key' as incident_key,
        coalesce(
            cast(json_extract_string(payload, '$.assignments[*].assignee.id') as varchar[]), cast([] as varchar[])
        ) as assignee_user_ids,
        coalesce(cast(json_extract_string(payload, '$.teams[*].id') as varchar[]), cast([] as varchar[]))
            as team_ids,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.updated_at'") }} as updated_at,
        {{ to_utc("payload ->> '$.last_status_change_at'") }} as last_status_change_at,
        {{ to_utc("payload ->> '$.resolved_at'") }} as resolved_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
