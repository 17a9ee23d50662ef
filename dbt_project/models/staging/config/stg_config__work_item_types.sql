with

source as (

    select * from {{ source('config', 'config__work_item_types') }}

),

final as (

    select distinct
        source_instance,
        issue_type,
        lower(trim(issue_type)) as issue_type_normalized,
        lower(trim(canonical_type)) as canonical_type
    from source

)

select * from final
