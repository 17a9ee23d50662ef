{#-
    Every git email, GitHub login, Jira account and PagerDuty user seen, matched to a configured person
    (METRICS.md "Who and what belongs to a team", "Identities across sources"): by email
    (case-insensitive) first (a Jira account's or PagerDuty user's own email), then by an alias equal
    to the identity (email, login, Jira accountId, PagerDuty user id), then (GitHub only) by login.
    Unmatched identities keep a null person_id.
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

jira_issues as (

    select * from {{ ref('stg_jira__issues') }}

),

jira_changelog_items as (

    select * from {{ ref('stg_jira__issue_changelogs') }}

),

copilot_seats as (

    select * from {{ ref('stg_github__copilot_seats') }}

),

pagerduty_users as (

    select * from {{ ref('stg_pagerduty__users') }}

),

pagerduty_incidents as (

    select * from {{ ref('stg_pagerduty__incidents') }}

),

team_members as (

    select * from {{ ref('stg_config__team_members') }}

),

seen_values as (

    select
        'email' as identity_type,
        author_email as identity_value,
        author_email as email
    from commits
    union all
    select
        'email' as identity_type,
        author_email as identity_value,
        author_email as email
    from pull_request_commits
    union all
    select
        'github_login' as identity_type,
        author_login as identity_value,
        null as email
    from commits
    union all
    select
        'github_login' as identity_type,
        author_login as identity_value,
        null as email
    from pull_request_commits
    union all
    select
        'github_login' as identity_type,
        author_login as identity_value,
        null as email
    from pull_requests
    union all
    select
        'github_login' as identity_type,
        unnest(assignee_logins) as identity_value,
        null as email
    from pull_requests
    union all
    select
        'github_login' as identity_type,
        reviewer_login as identity_value,
        null as email
    from reviews
    union all
    select
        'github_login' as identity_type,
        assignee_login as identity_value,
        null as email
    from copilot_seats
    union all
    select
        'jira_account' as identity_type,
        reporter_account_id as identity_value,
        reporter_email as email
    from jira_issues
    union all
    select
        'jira_account' as identity_type,
        assignee_account_id as identity_value,
        assignee_email as email
    from jira_issues
    union all
    select
        'jira_account' as identity_type,
        author_account_id as identity_value,
        author_email as email
    from jira_changelog_items
    union all
    select
        'pagerduty_user' as identity_type,
        user_id as identity_value,
        email
    from pagerduty_users
    union all
    select
        'pagerduty_user' as identity_type,
        unnest(assignee_user_ids) as identity_value,
        null as email
    from pagerduty_incidents

),

seen as (

    select
        identity_type,
        lower(trim(identity_value)) as identity_value,
        min(identity_value) as example_value,
        count(*) as times_seen,
        -- Jira may hide a user's email on some records: any version that shows it is enough
        max(lower(trim(nullif(trim(email), '')))) as email_normalized
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
        on seen.email_normalized = team_members.email_normalized
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
        seen.email_normalized,
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
