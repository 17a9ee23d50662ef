{#-
    Submitted reviews given by someone other than the pull request's author (METRICS.md: not the same
    login, not the same matched person), with the reviewer's person. The one place that rule lives for
    the activity mart and the pull request cycle.
-#}
with

reviews as (

    select * from {{ ref('reviews') }}

),

identities as (

    select * from {{ ref('identities') }}

),

login_people as (

    select
        identity_value,
        person_id
    from identities
    where identity_type = 'github_login' and person_id is not null

),

final as (

    select
        reviews.review_id,
        reviews.pull_request_key,
        reviews.reviewer_login,
        reviewers.person_id as reviewer_person_id,
        reviews.review_state,
        reviews.submitted_at
    from reviews
    left join login_people as reviewers
        on lower(trim(reviews.reviewer_login)) = reviewers.identity_value
    left join login_people as authors
        on lower(trim(reviews.pull_request_author_login)) = authors.identity_value
    where
        reviews.is_submitted
        and not reviews.is_own_pull_request
        and not coalesce(reviewers.person_id = authors.person_id, false)

)

select * from final
