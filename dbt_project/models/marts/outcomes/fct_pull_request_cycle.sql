{#-
    One row per merged pull request, its cycle split into consecutive stages (METRICS.md, "Pull request
    cycle"): coding, pickup, review, rework, merge, deploy_wait. Reviews count only when by someone
    other than the author (not the same login, not the same matched person). The approval is the last
    APPROVED review at or before merged_at; without it review, rework and merge are null. CI time
    (pull_request_ci_time) overlaps those stages, so it sits beside them: null hours without a CI job.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

reviews as (

    select * from {{ ref('reviews_by_others') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

ci_time as (

    select * from {{ ref('pull_request_ci_time') }}

),

merged_pull_requests as (

    select * from pull_requests
    where merged_at is not null

),

others_reviews as (

    select
        reviews.pull_request_key,
        reviews.review_state,
        reviews.submitted_at
    from reviews
    inner join merged_pull_requests
        on reviews.pull_request_key = merged_pull_requests.pull_request_key

),

first_reviews as (

    select
        pull_request_key,
        min(submitted_at) as first_review_at
    from others_reviews
    group by pull_request_key

),

approvals as (

    select
        others_reviews.pull_request_key,
        max(others_reviews.submitted_at) as approved_at
    from others_reviews
    inner join merged_pull_requests
        on others_reviews.pull_request_key = merged_pull_requests.pull_request_key
    where
        others_reviews.review_state = 'APPROVED'
        and others_reviews.submitted_at <= merged_pull_requests.merged_at
    group by others_reviews.pull_request_key

),

-- only a change request before the approval starts a rework stage
changes_requested as (

    select
        others_reviews.pull_request_key,
        min(others_reviews.submitted_at) as first_changes_requested_at
    from others_reviews
    inner join approvals
        on others_reviews.pull_request_key = approvals.pull_request_key
    where
        others_reviews.review_state = 'CHANGES_REQUESTED'
        and others_reviews.submitted_at < approvals.approved_at
    group by others_reviews.pull_request_key

),

cycle as (

    select
        merged_pull_requests.pull_request_key,
        merged_pull_requests.repository,
        repositories.team_key,
        merged_pull_requests.first_commit_at,
        merged_pull_requests.created_at as opened_at,
        first_reviews.first_review_at,
        changes_requested.first_changes_requested_at,
        approvals.approved_at,
        merged_pull_requests.merged_at,
        changes.deployed_at,
        coalesce(ci_time.ci_jobs, 0) as ci_jobs,
        coalesce(ci_time.ci_reruns, 0) as ci_reruns,
        ci_time.ci_queue_hours,
        ci_time.ci_run_hours
    from merged_pull_requests
    left join repositories
        on merged_pull_requests.repository = repositories.repository
    left join first_reviews
        on merged_pull_requests.pull_request_key = first_reviews.pull_request_key
    left join approvals
        on merged_pull_requests.pull_request_key = approvals.pull_request_key
    left join changes_requested
        on merged_pull_requests.pull_request_key = changes_requested.pull_request_key
    left join changes
        on merged_pull_requests.pull_request_key = changes.pull_request_key
    left join ci_time
        on merged_pull_requests.pull_request_key = ci_time.pull_request_key

),

final as (

    select
        *,
        {{ hours_between('first_commit_at', 'opened_at') }} as coding_hours,
        {{ hours_between('opened_at', 'first_review_at') }} as pickup_hours,
        {{ hours_between('first_review_at', 'coalesce(first_changes_requested_at, approved_at)') }}
            as review_hours,
        case
            when approved_at is not null
                then coalesce({{ hours_between('first_changes_requested_at', 'approved_at') }}, 0.0)
        end as rework_hours,
        {{ hours_between('approved_at', 'merged_at') }} as merge_hours,
        {{ hours_between('merged_at', 'deployed_at') }} as deploy_wait_hours,
        ci_queue_hours + ci_run_hours as ci_hours
    from cycle

)

select * from final
