with

config_teams as (

    select * from {{ ref('stg_config__teams') }}

),

final as (

    select
        team_key,
        min(team_name) as team_name,
        min(ai_adoption_date) as ai_adoption_date
    from config_teams
    group by team_key

)

select * from final
