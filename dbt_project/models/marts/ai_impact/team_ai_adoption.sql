{#-
    When each team adopted AI coding tools (METRICS.md "Team adoption"): the week of the config's
    `ai_adoption_date` when given, else inferred as the first week from which, for
    `ai_adoption_sustain_weeks` weeks in a row, at least `ai_adoption_pr_share` of the team's merged pull
    requests were AI-assisted, or at least `ai_adoption_seat_share` of its members held a
    seat; the earlier of the two wins. The `ai_adoption_ramp_weeks` weeks from adoption are the ramp,
    left out of before/after comparisons. A team that never qualifies has no adoption week.
-#}
{%- set sustain_weeks = var('ai_adoption_sustain_weeks') | int -%}
with

teams as (

    select * from {{ ref('teams') }}

),

merged_prs as (

    select * from {{ ref('team_merged_prs_weekly') }}

),

seat_coverage as (

    select * from {{ ref('team_ai_seat_coverage_weekly') }}

),

weekly_pr_share as (

    select
        team_key,
        week_start,
        ai_prs_merged / prs_merged as share
    from merged_prs

),

weekly_shares as (

    select
        team_key,
        week_start,
        'pull_requests' as method,
        share >= {{ var('ai_adoption_pr_share') }} as qualifies
    from weekly_pr_share
    union all
    select
        team_key,
        week_start,
        'seats' as method,
        coalesce(seat_coverage >= {{ var('ai_adoption_seat_share') }}, false) as qualifies
    from seat_coverage

),

-- a week starts an adoption when it and the weeks after it qualify; a week without merged PRs does not
sustained as (

    select
        first_week.team_key,
        first_week.method,
        first_week.week_start
    from weekly_shares as first_week
    inner join weekly_shares as later_week
        on
            first_week.team_key = later_week.team_key
            and first_week.method = later_week.method
            and first_week.week_start <= later_week.week_start
            and later_week.week_start < first_week.week_start + interval ({{ sustain_weeks }} * 7) day
    where first_week.qualifies
    group by all
    having count(*) filter (where later_week.qualifies) = {{ sustain_weeks }}

),

first_by_method as (

    select
        team_key,
        method,
        min(week_start) as adoption_week
    from sustained
    group by all

),

inferred as (

    select
        team_key,
        arg_min(method, adoption_week || method) as adoption_method,
        min(adoption_week) as adoption_week
    from first_by_method
    group by team_key

),

-- a date the config gives wins over any inference
chosen as (

    select
        teams.team_key,
        case
            when teams.ai_adoption_date is not null then 'config' else inferred.adoption_method
        end as adoption_method,
        coalesce(cast(date_trunc('week', teams.ai_adoption_date) as date), inferred.adoption_week)
            as adoption_week
    from teams
    left join inferred
        on teams.team_key = inferred.team_key

),

final as (

    select
        chosen.team_key,
        chosen.adoption_week,
        chosen.adoption_method,
        {{ var('ai_adoption_ramp_weeks') }} as ramp_weeks,
        cast(chosen.adoption_week + interval ({{ var('ai_adoption_ramp_weeks') }} * 7) day as date)
            as first_week_after_ramp,
        chosen.adoption_week is not null as has_adopted
    from chosen

)

select * from final
