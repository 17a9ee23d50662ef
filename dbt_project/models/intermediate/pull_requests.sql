with

github_pull_requests as (

    select * from {{ ref('stg_github__pull_requests') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

latest as (

    select *
    from github_pull_requests
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, pull_request_number
            order by updated_at desc nulls last, extracted_at desc, source_instance asc
        ) = 1

),

commit_stats as (

    select
        pull_request_key,
        min(authored_at) as first_commit_at,
        max(authored_at) as last_commit_at,
        count(*) as commit_count
    from pull_request_commits
    group by pull_request_key

),

final as (

    select
        latest.repository || '#' || latest.pull_request_number as pull_request_key,
        latest.repository,
        latest.pull_request_number,
        latest.pull_request_id,
        latest.title,
        latest.body,
        latest.state,
        latest.is_draft,
        latest.author_login,
        latest.head_ref,
        latest.head_sha,
        latest.base_ref,
        latest.merge_commit_sha,
        latest.labels,
        latest.assignee_logins,
        latest.created_at,
        latest.updated_at,
        latest.closed_at,
        latest.merged_at,
        latest.merged_at is not null as is_merged,
        commit_stats.first_commit_at,
        commit_stats.last_commit_at,
        coalesce(commit_stats.commit_count, 0) as commit_count
    from latest
    left join commit_stats
        on latest.repository || '#' || latest.pull_request_number = commit_stats.pull_request_key

)

select * from final
