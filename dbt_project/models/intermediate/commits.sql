with

github_commits as (

    select * from {{ ref('stg_github__commits') }}

),

git_commits as (

    select * from {{ ref('stg_git__commits') }}

),

github_pull_request_commits as (

    select * from {{ ref('stg_github__pull_request_commits') }}

),

-- several instances of one source may report the same commit: keep one per source kind
github_one as (

    select *
    from github_commits
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, commit_sha
            order by extracted_at desc, source_instance asc
        ) = 1

),

git_one as (

    select *
    from git_commits
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, commit_sha
            order by extracted_at desc, source_instance asc
        ) = 1

),

-- GitHub links a commit author to a login in the pull request commit lists too
pull_request_logins as (

    select
        repository,
        commit_sha,
        min(author_login) as author_login
    from github_pull_request_commits
    where not is_deleted and has_required_values and author_login is not null
    group by repository, commit_sha

),

joined as (

    select
        coalesce(git.repository, gh.repository) as repository,
        coalesce(git.commit_sha, gh.commit_sha) as commit_sha,
        coalesce(git.parent_shas, gh.parent_shas, cast([] as varchar[])) as parent_shas,
        coalesce(git.author_name, gh.author_name) as author_name,
        coalesce(git.author_email, gh.author_email) as author_email,
        coalesce(gh.author_login, pull_request_logins.author_login) as author_login,
        coalesce(git.authored_at, gh.authored_at) as authored_at,
        coalesce(git.committer_email, gh.committer_email) as committer_email,
        coalesce(git.committed_at, gh.committed_at) as committed_at,
        coalesce(git.message, gh.message) as message,
        git.trailers,
        git.file_paths,
        case
            when git.commit_sha is not null then git.additions else gh.additions
        end as additions,
        case
            when git.commit_sha is not null then git.deletions else gh.deletions
        end as deletions,
        case
            when git.commit_sha is not null then 'git'
            when gh.additions is not null then 'github'
        end as lines_source,
        git.commit_sha is not null as is_in_git,
        gh.commit_sha is not null as is_in_github
    from git_one as git
    full outer join github_one as gh
        on
            git.repository = gh.repository
            and git.commit_sha = gh.commit_sha
    left join pull_request_logins
        on
            coalesce(git.repository, gh.repository) = pull_request_logins.repository
            and coalesce(git.commit_sha, gh.commit_sha) = pull_request_logins.commit_sha

),

shaped as (

    select
        repository || '@' || commit_sha as commit_key,
        repository,
        commit_sha,
        parent_shas,
        len(parent_shas) as parent_count,
        len(parent_shas) > 1 as is_merge,
        author_name,
        author_email,
        author_login,
        authored_at,
        committer_email,
        committed_at,
        split_part(message, chr(10), 1) as message_headline,
        message,
        additions,
        deletions,
        lines_source,
        file_paths,
        {{ has_ai_coauthor('message', 'trailers') }} as has_ai_coauthor,
        (
            {{ matches_any('author_login', var('ai_agent_logins'), 'equals') }}
            or {{ matches_any('author_name', var('ai_agent_logins'), 'equals') }}
        ) as is_agent_authored,
        is_in_git,
        is_in_github
    from joined

),

final as (

    select
        *,
        case
            when is_agent_authored then 'agent_authored'
            when has_ai_coauthor then 'assisted'
            else 'none'
        end as ai_assistance
    from shaped

)

select * from final
