{#- One row per configured team: the name a chart shows, its current size and repositories, and how it
    adopted AI tools (team_ai_adoption). -#}
with

teams as (

    select * from {{ ref('teams') }}

),

people as (

    select * from {{ ref('people') }}

),

team_repositories as (

    select * from {{ ref('team_repositories') }}

),

adoption as (

    select * from {{ ref('team_ai_adoption') }}

),

current_members as (

    select
        team_key,
        count(*) as current_members
    from people
    group by team_key

),

repositories as (

    select
        team_key,
        count(distinct repository) as repositories
    from team_repositories
    group by team_key

),

final as (

    select
        teams.team_key,
        coalesce(teams.team_name, teams.team_key) as team_name,
        cast(coalesce(current_members.current_members, 0) as integer) as current_members,
        cast(coalesce(repositories.repositories, 0) as integer) as repositories,
        coalesce(adoption.has_adopted, false) as has_adopted_ai,
        adoption.adoption_week as ai_adoption_week,
        adoption.adoption_method as ai_adoption_method
    from teams
    left join current_members
        on teams.team_key = current_members.team_key
    left join repositories
        on teams.team_key = repositories.team_key
    left join adoption
        on teams.team_key = adoption.team_key

)

select * from final
