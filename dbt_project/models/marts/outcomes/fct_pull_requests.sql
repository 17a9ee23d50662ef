{#-
    One row per pull request: author, the team it is credited to, AI assistance, review timings, and (when
    merged) its first production deployment.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

reviews as (

    select * from {{ ref('reviews') }}

),

identities as (

    select * from {{ ref('identities') }}

),

people as (

    select * from {{ ref('people') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

ai_signals as (

    select * from {{ ref('pull_request_ai_signals') }}

),

attribution as (

    select * from {{ ref('pull_request_attribution') }}

),

login_people as (

    select
        identity_value,
        person_id
    from identities
    where identity_type = 'github_login' and person_id is not null

),

review_stats as (

    select
        pull_request_key,
        count(*) as reviews,
        count(*) filter (where review_state = 'APPROVED') as approvals,
        count(*) filter (where review_state = 'CHANGES_REQUESTED') as changes_requested,
        min(submitted_at) as first_review_at,
        min(submitted_at) filter (where review_state = 'APPROVED') as first_approved_at
    from reviews
    where is_submitted and not is_own_pull_request
    group by pull_request_key

),

final as (

    select
        pull_requests.pull_request_key,
        pull_requests.repository,
        pull_requests.pull_request_number,
        pull_requests.pull_request_id,
        pull_requests.title,
        pull_requests.state,
        pull_requests.is_draft,
        pull_requests.author_login,
        login_people.person_id as author_person_id,
        people.team_key as author_team_key,
        repositories.team_key as repository_team_key,
        attribution.credited_person_id,
        attribution.credited_team_key,
        attribution.credit_rule,
        ai_signals.ai_assistance,
        ai_signals.ai_signals,
        pull_requests.head_ref,
        pull_requests.base_ref,
        pull_requests.merge_commit_sha,
        pull_requests.first_commit_at,
        pull_requests.created_at,
        review_stats.first_review_at,
        review_stats.first_approved_at,
        pull_requests.merged_at,
        pull_requests.closed_at,
        pull_requests.is_merged,
        pull_requests.commit_count,
        coalesce(review_stats.reviews, 0) as reviews,
        coalesce(review_stats.approvals, 0) as approvals,
        coalesce(review_stats.changes_requested, 0) as changes_requested,
        changes.deployment_id,
        changes.deployed_at,
        coalesce(changes.is_deployed, false) as is_deployed,
        changes.lead_time_hours,
        {{ hours_between('pull_requests.created_at', 'review_stats.first_review_at') }}
            as review_pickup_hours,
        {{ hours_between('pull_requests.created_at', 'pull_requests.merged_at') }}
            as open_to_merge_hours
    from pull_requests
    left join login_people
        on lower(trim(pull_requests.author_login)) = login_people.identity_value
    left join people
        on login_people.person_id = people.person_id
    left join repositories
        on pull_requests.repository = repositories.repository
    left join review_stats
        on pull_requests.pull_request_key = review_stats.pull_request_key
    left join changes
        on pull_requests.pull_request_key = changes.pull_request_key
    left join ai_signals
        on pull_requests.pull_request_key = ai_signals.pull_request_key
    left join attribution
        on pull_requests.pull_request_key = attribution.pull_request_key

)

select * from final
