with

commits as (

    select * from {{ ref('commits') }}

),

unnested as (

    select
        repository,
        commit_sha,
        unnest(parent_shas) as parent_sha,
        generate_subscripts(parent_shas, 1) as parent_number
    from commits

),

final as (

    select
        repository,
        commit_sha,
        parent_sha,
        parent_number
    from unnested

)

select * from final
