with

source as (

    select * from {{ source('config', 'config__jira_fields') }}

),

final as (

    select distinct
        source_instance,
        lower(trim(role)) as field_role,
        field,
        lower(trim(field)) as field_normalized
    from source

)

select * from final
