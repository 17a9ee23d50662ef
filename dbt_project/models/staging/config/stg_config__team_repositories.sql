with

source as (

    select * from {{ source('config', 'config__team_repositories') }}

),

final as (

    select distinct
        team_key,
        repository,
        team_key || ':' || repository as team_repository_id
    from source

)

select * from final
