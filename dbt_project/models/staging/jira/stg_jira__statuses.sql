with

source as (

    select * from {{ source('jira', 'jira__statuses') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as status_id,
        payload ->> '$.name' as status_name,
        lower(payload ->> '$.statusCategory.key') as status_category_key,
        payload ->> '$.statusCategory.name' as status_category_name,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
