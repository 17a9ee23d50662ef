with

config_team_repositories as (

    select * from {{ ref('stg_config__team_repositories') }}

),

final as (

    select
        team_repository_id,
        team_key,
        repository
    from config_team_repositories

)

select * from final
