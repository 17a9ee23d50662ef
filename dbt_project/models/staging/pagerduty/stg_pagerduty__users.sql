with

source as (

    select * from {{ source('pagerduty', 'pagerduty__users') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as user_id,
        coalesce(payload ->> '$.name', payload ->> '$.summary') as user_name,
        payload ->> '$.email' as email,
        payload ->> '$.time_zone' as time_zone,
        payload ->> '$.role' as user_role,
        coalesce(cast(json_extract_string(payload, '$.teams[*].id') as varchar[]), cast([] as varchar[]))
            as team_ids,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
