with

github_repositories as (

    select * from {{ ref('stg_github__repositories') }}

),

github_commits as (

    select * from {{ ref('stg_github__commits') }}

),

git_commits as (

    select * from {{ ref('stg_git__commits') }}

),

github_pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

github_deployments as (

    select * from {{ ref('stg_github__deployments') }}

),

team_repositories as (

    select * from {{ ref('stg_config__team_repositories') }}

),

github_latest as (

    select *
    from github_repositories
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository order by extracted_at desc, source_instance asc
        ) = 1

),

seen as (

    select
        repository,
        true as is_in_github,
        false as is_in_git
    from github_latest
    union all
    select distinct
        repository,
        true as is_in_github,
        false as is_in_git
    from github_commits
    union all
    select distinct
        repository,
        true as is_in_github,
        false as is_in_git
    from github_pull_requests
    union all
    select distinct
        repository,
        true as is_in_github,
        false as is_in_git
    from github_deployments
    union all
    select distinct
        repository,
        false as is_in_github,
        true as is_in_git
    from git_commits
    union all
    select distinct
        repository,
        false as is_in_github,
        false as is_in_git
    from team_repositories

),

all_repositories as (

    select
        repository,
        bool_or(is_in_github) as is_in_github,
        bool_or(is_in_git) as is_in_git
    from seen
    group by repository

),

repository_teams as (

    select
        repository,
        min(team_key) as team_key
    from team_repositories
    group by repository

),

final as (

    select
        all_repositories.repository,
        github_latest.repository_id,
        split_part(all_repositories.repository, '/', 1) as owner_login,
        coalesce(
            github_latest.repository_name,
            split_part(all_repositories.repository, '/', 2)
        ) as repository_name,
        github_latest.default_branch,
        coalesce(github_latest.is_private, false) as is_private,
        coalesce(github_latest.is_archived, false) as is_archived,
        github_latest.created_at,
        repository_teams.team_key,
        all_repositories.is_in_github,
        all_repositories.is_in_git
    from all_repositories
    left join github_latest
        on all_repositories.repository = github_latest.repository
    left join repository_teams
        on all_repositories.repository = repository_teams.repository

)

select * from final
