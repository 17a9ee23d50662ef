{#-
    Activity per person and UTC day (METRICS.md "Activity"); only days with some activity have a row.
    The team is the person's team on that day (METRICS.md "A person's team at a time T"); null when no
    membership covers the day.
-#}
with

commits as (

    select * from {{ ref('commits') }}

),

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

reviews as (

    select * from {{ ref('reviews_by_others') }}

),

identities as (

    select * from {{ ref('identities') }}

),

people as (

    select * from {{ ref('people') }}

),

team_memberships as (

    select * from {{ ref('team_memberships') }}

),

email_people as (

    select
        identity_value,
        person_id
    from identities
    where identity_type = 'email' and person_id is not null

),

login_people as (

    select
        identity_value,
        person_id
    from identities
    where identity_type = 'github_login' and person_id is not null

),

-- a commit's author: their email's person first (email, then alias), else their login's
commit_activity as (

    select
        coalesce(email_people.person_id, login_people.person_id) as person_id,
        cast(commits.authored_at as date) as activity_date,
        1 as commits,
        case when commits.lines_source = 'git' then commits.additions else 0 end as lines_added,
        case when commits.lines_source = 'git' then commits.deletions else 0 end as lines_deleted,
        0 as prs_opened,
        0 as prs_merged,
        0 as reviews_given
    from commits
    left join email_people
        on lower(trim(commits.author_email)) = email_people.identity_value
    left join login_people
        on lower(trim(commits.author_login)) = login_people.identity_value
    where not commits.is_merge

),

pull_request_authors as (

    select
        pull_requests.pull_request_key,
        pull_requests.created_at,
        pull_requests.merged_at,
        login_people.person_id
    from pull_requests
    left join login_people
        on lower(trim(pull_requests.author_login)) = login_people.identity_value

),

opened_activity as (

    select
        person_id,
        cast(created_at as date) as activity_date,
        0 as commits,
        0 as lines_added,
        0 as lines_deleted,
        1 as prs_opened,
        0 as prs_merged,
        0 as reviews_given
    from pull_request_authors

),

merged_activity as (

    select
        person_id,
        cast(merged_at as date) as activity_date,
        0 as commits,
        0 as lines_added,
        0 as lines_deleted,
        0 as prs_opened,
        1 as prs_merged,
        0 as reviews_given
    from pull_request_authors
    where merged_at is not null

),

-- a review of one's own pull request (same login, or same person) is not review work given
review_activity as (

    select
        reviewer_person_id as person_id,
        cast(submitted_at as date) as activity_date,
        0 as commits,
        0 as lines_added,
        0 as lines_deleted,
        0 as prs_opened,
        0 as prs_merged,
        1 as reviews_given
    from reviews

),

all_activity as (

    select * from commit_activity
    union all
    select * from opened_activity
    union all
    select * from merged_activity
    union all
    select * from review_activity

),

daily as (

    select
        person_id,
        activity_date,
        sum(commits) as commits,
        sum(coalesce(lines_added, 0)) as lines_added,
        sum(coalesce(lines_deleted, 0)) as lines_deleted,
        sum(prs_opened) as prs_opened,
        sum(prs_merged) as prs_merged,
        sum(reviews_given) as reviews_given
    from all_activity
    where person_id is not null and activity_date is not null
    group by person_id, activity_date

),

-- overlapping memberships should not exist; if they do, the first team by key wins (as in people)
daily_teams as (

    select
        daily.person_id,
        daily.activity_date,
        min(team_memberships.team_key) as team_key
    from daily
    inner join team_memberships
        on
            daily.person_id = team_memberships.person_id
            and (team_memberships.valid_from is null or daily.activity_date >= team_memberships.valid_from)
            and (team_memberships.valid_to is null or daily.activity_date < team_memberships.valid_to)
    group by daily.person_id, daily.activity_date

),

final as (

    select
        daily.person_id || ':' || strftime(daily.activity_date, '%Y-%m-%d') as activity_daily_id,
        daily.person_id,
        daily_teams.team_key,
        daily.activity_date,
        cast(daily.commits as integer) as commits,
        cast(daily.lines_added as bigint) as lines_added,
        cast(daily.lines_deleted as bigint) as lines_deleted,
        cast(daily.prs_opened as integer) as prs_opened,
        cast(daily.prs_merged as integer) as prs_merged,
        cast(daily.reviews_given as integer) as reviews_given
    from daily
    inner join people
        on daily.person_id = people.person_id
    left join daily_teams
        on
            daily.person_id = daily_teams.person_id
            and daily.activity_date = daily_teams.activity_date

)

select * from final
