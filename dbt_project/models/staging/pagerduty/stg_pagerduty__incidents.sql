{%- set conversions = [
    conversion('incident_number', "payload ->> '$.incident_number'", 'bigint'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
    conversion('last_status_change_at', "payload ->> '$.last_status_change_at'", 'timestamp'),
    conversion('resolved_at', "payload ->> '$.resolved_at'", 'timestamp'),
] -%}

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
        {{ converted_columns(conversions) }},
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
        {{ invalid_values('pagerduty__incidents', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
