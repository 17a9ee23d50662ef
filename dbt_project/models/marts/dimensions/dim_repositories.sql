{#- One row per repository seen in any source or listed in the config, with its owning team's name. -#}
with

repositories as (

    select * from {{ ref('repositories') }}

),

teams as (

    select * from {{ ref('teams') }}

),

final as (

    select
        repositories.repository,
        repositories.repository_name,
        repositories.owner_login,
        repositories.team_key,
        coalesce(teams.team_name, repositories.team_key) as team_name,
        repositories.default_branch,
        repositories.is_private,
        repositories.is_archived,
        repositories.is_in_github,
        repositories.is_in_git
    from repositories
    left join teams
        on repositories.team_key = teams.team_key

)

select * from final
