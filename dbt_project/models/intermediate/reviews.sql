with

github_reviews as (

    select * from {{ ref('stg_github__pull_request_reviews') }}

),

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

latest as (

    select *
    from github_reviews
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, review_id
            order by extracted_at desc, source_instance asc
        ) = 1

),

final as (

    select
        latest.review_id,
        latest.repository || '#' || latest.pull_request_number as pull_request_key,
        latest.repository,
        latest.pull_request_number,
        latest.reviewer_login,
        latest.review_state,
        latest.commit_sha,
        latest.submitted_at,
        pull_requests.author_login as pull_request_author_login,
        latest.review_state in ('APPROVED', 'CHANGES_REQUESTED', 'COMMENTED')
        and latest.submitted_at is not null as is_submitted,
        coalesce(
            lower(latest.reviewer_login) = lower(pull_requests.author_login), false
        ) as is_own_pull_request
    from latest
    left join pull_requests
        on
            latest.repository = pull_requests.repository
            and latest.pull_request_number = pull_requests.pull_request_number

)

select * from final
