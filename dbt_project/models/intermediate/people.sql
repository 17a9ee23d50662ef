with

team_members as (

    select * from {{ ref('stg_config__team_members') }}

),

final as (

    select
        person_id,
        person_name,
        email,
        github_login,
        aliases,
        -- one team per person in this version; a person listed twice keeps the first team by key
        team_key
    from team_members
    qualify row_number() over (partition by person_id order by team_key) = 1

)

select * from final
