with

source as (

    select * from {{ source('config', 'config__services') }}

),

final as (

    select
        service_key,
        repository,
        -- an empty list is the whole repository, like no list
        coalesce(path_globs, []) as path_globs,
        len(coalesce(path_globs, [])) > 0 as has_paths
    from source

)

select * from final
