with

github_pull_request_commits as (

    select * from {{ ref('stg_github__pull_request_commits') }}

),

final as (

    select
        repository || '#' || pull_request_number as pull_request_key,
        repository,
        pull_request_number,
        commit_sha,
        author_name,
        author_email,
        author_login,
        authored_at,
        committed_at,
        message,
        len(parent_shas) > 1 as is_merge
    from github_pull_request_commits
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, pull_request_number, commit_sha
            order by extracted_at desc, source_instance asc
        ) = 1

)

select * from final
