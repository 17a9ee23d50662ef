with

source as (

    select * from {{ source('pagerduty', 'pagerduty__services') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as service_id,
        -- full objects carry `name`; references only `summary`
        coalesce(payload ->> '$.name', payload ->> '$.summary') as service_name,
        payload ->> '$.description' as description,
        payload ->> '$.status' as status,
        payload ->> '$.escalation_policy.id' as escalation_policy_id,
        coalesce(cast(json_extract_string(payload, '$.teams[*].id') as varchar[]), cast([] as varchar[]))
            as team_ids,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
