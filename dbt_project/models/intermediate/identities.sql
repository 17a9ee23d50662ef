{#-
    Every git email and GitHub login seen in the canonical models, matched to a configured person
    (METRICS.md "Who and what belongs to a team"): by email (case-insensitive) first, then by alias,
    then by GitHub login. Unmatched identities keep a null person_id.
-#}
with

commits as (

    select * from {{ ref('commits') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

reviews as (

    select * from {{ ref('reviews') }}

),

team_members as (

    select * from {{ ref('stg_config__team_members') }}

),

seen_values as (

    select
        'email' as identity_type,
        author_email as identity_value
    from commits
    union all
    select
        'email' as identity_type,
        author_email as identity_value
    from pull_request_commits
    union all
    select
        'github_login' as identity_type,
        author_login as identity_value
    from commits
    union all
    select
        'github_login' as identity_type,
        author_login as identity_value
    from pull_request_commits
    union all
    select
        'github_login' as identity_type,
        author_login as identity_value
    from pull_requests
    union all
    select
        'github_login' as identity_type,
        reviewer_login as identity_value
    from reviews

),

seen as (

    select
        identity_type,
        lower(trim(identity_value)) as identity_value,
        min(identity_value) as example_value,
        count(*) as times_seen
    from seen_values
    where nullif(trim(identity_value), '') is not null
    group by identity_type, lower(trim(identity_value))

),

member_aliases as (

    select
        person_id,
        lower(trim(unnest(aliases))) as alias
    from team_members

),

candidates as (

    select
        seen.identity_type,
        seen.identity_value,
        team_members.person_id,
        1 as match_rank,
        'email' as matched_by
    from seen
    inner join team_members
        on seen.identity_value = team_members.email_normalized
    where seen.identity_type = 'email'
    union all
    select
        seen.identity_type,
        seen.identity_value,
        member_aliases.person_id,
        2 as match_rank,
        'alias' as matched_by
    from seen
    inner join member_aliases
        on seen.identity_value = member_aliases.alias
    union all
    select
        seen.identity_type,
        seen.identity_value,
        team_members.person_id,
        3 as match_rank,
        'github_login' as matched_by
    from seen
    inner join team_members
        on seen.identity_value = team_members.github_login_normalized
    where seen.identity_type = 'github_login'

),

best_match as (

    select
        identity_type,
        identity_value,
        person_id,
        matched_by
    from candidates
    qualify
        row_number() over (
            partition by identity_type, identity_value
            order by match_rank, person_id
        ) = 1

),

final as (

    select
        seen.identity_type || ':' || seen.identity_value as identity_id,
        seen.identity_type,
        seen.identity_value,
        seen.example_value,
        seen.times_seen,
        best_match.person_id,
        best_match.matched_by,
        best_match.person_id is not null as is_matched
    from seen
    left join best_match
        on
            seen.identity_type = best_match.identity_type
            and seen.identity_value = best_match.identity_value

)

select * from final
