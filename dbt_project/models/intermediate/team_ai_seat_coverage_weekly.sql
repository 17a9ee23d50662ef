{#-
    Per team and week, the share of its members holding an AI tool seat (METRICS.md "AI tool seats"), for
    adoption inference: a member counts in a week when their membership covers any day of it, and holds a seat
    when an ai_tool_seats row of that team (any tool) covers any day of it. Dense over every team and every
    week from the first week anyone held a seat to the latest week with a seat change or a commit.
-#}
with

ai_tool_seats as (

    select * from {{ ref('ai_tool_seats') }}

),

team_memberships as (

    select * from {{ ref('team_memberships') }}

),

teams as (

    select * from {{ ref('teams') }}

),

commits as (

    select * from {{ ref('commits') }}

),

person_seats as (

    select * from ai_tool_seats
    where person_id is not null

),

last_commit as (

    select cast(max(authored_at) as date) as last_commit_day
    from commits

),

week_range as (

    -- greatest() skips nulls: open seats and an empty commit table leave the other ends
    select
        cast(date_trunc('week', min(person_seats.valid_from)) as date) as first_week,
        cast(date_trunc('week', greatest(
            max(person_seats.valid_from),
            max(person_seats.valid_to - 1),
            any_value(last_commit.last_commit_day)
        )) as date) as last_week
    from person_seats
    cross join last_commit

),

weeks as (

    select cast(unnest(generate_series(first_week, last_week, interval 7 day)) as date) as week_start
    from week_range
    where first_week is not null

),

spine as (

    select
        teams.team_key,
        weeks.week_start
    from teams
    cross join weeks

),

members as (

    select
        spine.team_key,
        spine.week_start,
        count(distinct team_memberships.person_id) as members
    from spine
    inner join team_memberships
        on
            spine.team_key = team_memberships.team_key
            and (team_memberships.valid_from is null or spine.week_start + 7 > team_memberships.valid_from)
            and (team_memberships.valid_to is null or spine.week_start < team_memberships.valid_to)
    group by spine.team_key, spine.week_start

),

holders as (

    select
        spine.team_key,
        spine.week_start,
        count(distinct person_seats.person_id) as members_with_seat
    from spine
    inner join person_seats
        on
            spine.team_key = person_seats.team_key
            and spine.week_start + 7 > person_seats.valid_from
            and (person_seats.valid_to is null or spine.week_start < person_seats.valid_to)
    group by spine.team_key, spine.week_start

),

final as (

    select
        spine.team_key || ':' || strftime(spine.week_start, '%Y-%m-%d') as team_week_id,
        spine.team_key,
        spine.week_start,
        coalesce(members.members, 0) as members,
        coalesce(holders.members_with_seat, 0) as members_with_seat,
        coalesce(holders.members_with_seat, 0) / nullif(members.members, 0) as seat_coverage
    from spine
    left join members
        on spine.team_key = members.team_key and spine.week_start = members.week_start
    left join holders
        on spine.team_key = holders.team_key and spine.week_start = holders.week_start

)

select * from final
