with

source as (

    select * from {{ source('jira', 'jira__projects') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as project_id,
        payload ->> '$.key' as project_key,
        payload ->> '$.name' as project_name,
        payload ->> '$.projectTypeKey' as project_type_key,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
