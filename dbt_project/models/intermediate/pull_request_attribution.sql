{#-
    One row per pull request: the person and team it is credited to (METRICS.md "AI assistance").
    The author when the author is a person; a coding agent's pull request (no human author): its first
    assignee who is a person; the team is that person's on the day it was opened, else the repository's.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

ai_signals as (

    select * from {{ ref('pull_request_ai_signals') }}

),

identities as (

    select * from {{ ref('identities') }}

),

team_memberships as (

    select * from {{ ref('team_memberships') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

login_people as (

    select
        identity_value,
        person_id
    from identities
    where identity_type = 'github_login' and person_id is not null

),

assignees as (

    select
        pull_request_key,
        unnest(assignee_logins) as assignee_login,
        generate_subscripts(assignee_logins, 1) as assignee_position
    from pull_requests

),

first_assignee_people as (

    select
        assignees.pull_request_key,
        login_people.person_id
    from assignees
    inner join login_people
        on lower(trim(assignees.assignee_login)) = login_people.identity_value
    qualify row_number() over (partition by assignees.pull_request_key order by assignees.assignee_position) = 1

),

credited as (

    select
        pull_requests.pull_request_key,
        pull_requests.repository,
        cast(pull_requests.created_at as date) as created_date,
        case
            when author_people.person_id is not null then author_people.person_id
            when ai_signals.is_agent_authored then first_assignee_people.person_id
        end as credited_person_id,
        case
            when author_people.person_id is not null then 'author'
            when ai_signals.is_agent_authored and first_assignee_people.person_id is not null then 'assignee'
        end as person_rule
    from pull_requests
    left join login_people as author_people
        on lower(trim(pull_requests.author_login)) = author_people.identity_value
    left join ai_signals
        on pull_requests.pull_request_key = ai_signals.pull_request_key
    left join first_assignee_people
        on pull_requests.pull_request_key = first_assignee_people.pull_request_key

),

-- overlapping memberships should not exist; if they do, the first team by key wins (as in people)
credited_teams as (

    select
        credited.pull_request_key,
        min(team_memberships.team_key) as team_key
    from credited
    inner join team_memberships
        on
            credited.credited_person_id = team_memberships.person_id
            and (team_memberships.valid_from is null or credited.created_date >= team_memberships.valid_from)
            and (team_memberships.valid_to is null or credited.created_date < team_memberships.valid_to)
    group by credited.pull_request_key

),

final as (

    select
        credited.pull_request_key,
        credited.credited_person_id,
        coalesce(credited_teams.team_key, repositories.team_key) as credited_team_key,
        case
            when credited_teams.team_key is not null then credited.person_rule
            when repositories.team_key is not null then 'repository'
        end as credit_rule
    from credited
    left join credited_teams
        on credited.pull_request_key = credited_teams.pull_request_key
    left join repositories
        on credited.repository = repositories.repository

)

select * from final
