{#-
    Which services with paths each commit touches (METRICS.md "Services"): a commit touches a service
    when one of the files it changed (git's numstat) matches one of the service's path globs (`*`
    crosses `/`). git prints a merge commit without a diff, so a merged pull request's merge commit
    touches what the pull request's commits touch. A service without paths is its whole repository and
    is not listed here: every commit of the repository is its.
-#}
with

commits as (

    select * from {{ ref('commits') }}

),

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

services as (

    select * from {{ ref('stg_config__services') }}
    where has_paths

),

changed_files as (

    select
        repository,
        commit_sha,
        unnest(file_paths) as file_path
    from commits

),

touched_by_files as (

    select distinct
        changed_files.repository,
        changed_files.commit_sha,
        services.service_key
    from changed_files
    inner join services
        on lower(changed_files.repository) = lower(services.repository)
    where len(list_filter(services.path_globs, path_glob -> changed_files.file_path glob path_glob)) > 0

),

touched_by_merges as (

    select distinct
        pull_requests.repository,
        pull_requests.merge_commit_sha as commit_sha,
        touched_by_files.service_key
    from pull_requests
    inner join pull_request_commits
        on pull_requests.pull_request_key = pull_request_commits.pull_request_key
    inner join touched_by_files
        on
            pull_request_commits.repository = touched_by_files.repository
            and pull_request_commits.commit_sha = touched_by_files.commit_sha
    where pull_requests.merge_commit_sha is not null

),

final as (

    select * from touched_by_files
    union
    select * from touched_by_merges

)

select * from final
