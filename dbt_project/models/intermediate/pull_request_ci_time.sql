{#-
    CI time per merged pull request (METRICS.md "Pull request cycle", CI): the jobs that ran on one of
    the pull request's commits and were created before it merged, every attempt (a re-run is CI time
    the change cost). Skipped jobs never ran and do not count; runs that are deployments (a deployment
    rule's workflow) are the deploy stage, not CI. CI after the merge (on the merge commit) runs while
    the change waits for its deployment, which deploy_wait already measures.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

ci_jobs as (

    select * from {{ ref('ci_jobs') }}

),

deployments as (

    select * from {{ ref('deployments') }}

),

deploying_runs as (

    select
        repository,
        source_deployment_id as workflow_run_id
    from deployments
    where deployment_source = 'github_actions'

),

change_jobs as (

    select
        pull_requests.pull_request_key,
        ci_jobs.ci_job_id,
        ci_jobs.queue_seconds,
        ci_jobs.run_seconds,
        ci_jobs.is_rerun
    from pull_requests
    inner join pull_request_commits
        on pull_requests.pull_request_key = pull_request_commits.pull_request_key
    inner join ci_jobs
        on
            pull_request_commits.repository = ci_jobs.repository
            and pull_request_commits.commit_sha = ci_jobs.head_sha
    left join deploying_runs
        on
            ci_jobs.repository = deploying_runs.repository
            and ci_jobs.workflow_run_id::varchar = deploying_runs.workflow_run_id
    where
        pull_requests.merged_at is not null
        and ci_jobs.created_at < pull_requests.merged_at
        and not ci_jobs.is_skipped
        and deploying_runs.workflow_run_id is null

),

final as (

    select
        pull_request_key,
        count(*) as ci_jobs,
        count(*) filter (where is_rerun) as ci_reruns,
        -- a job still queued or running has no queue or run time yet: it adds 0
        coalesce(sum(queue_seconds), 0) / 3600.0 as ci_queue_hours,
        coalesce(sum(run_seconds), 0) / 3600.0 as ci_run_hours
    from change_jobs
    group by pull_request_key

)

select * from final
