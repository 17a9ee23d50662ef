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
        -- the current team: an open-ended membership, else the latest ending; ties by team key
        team_key
    from team_members
    qualify
        row_number() over (
            partition by person_id
            order by valid_to desc nulls first, valid_from desc nulls last, team_key asc
        ) = 1

)

select * from final
