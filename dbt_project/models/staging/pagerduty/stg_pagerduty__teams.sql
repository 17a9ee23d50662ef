with

source as (

    select * from {{ source('pagerduty', 'pagerduty__teams') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as team_id,
        coalesce(payload ->> '$.name', payload ->> '$.summary') as team_name,
        payload ->> '$.description' as description,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
