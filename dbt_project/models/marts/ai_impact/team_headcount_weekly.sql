{#-
    Engineers per team and week of the rpt_dora_weekly grid: the members whose membership covers the
    week's Monday (METRICS.md "Divergence", "AI impact": the per-engineer-week rates divide by this).
-#}
with

team_weeks as (

    select * from {{ ref('rpt_dora_weekly') }}

),

team_memberships as (

    select * from {{ ref('team_memberships') }}

),

final as (

    select
        team_weeks.team_week_id,
        team_weeks.team_key,
        team_weeks.week_start,
        count(distinct team_memberships.person_id) as engineers
    from team_weeks
    left join team_memberships
        on
            team_weeks.team_key = team_memberships.team_key
            and (team_memberships.valid_from is null or team_weeks.week_start >= team_memberships.valid_from)
            and (team_memberships.valid_to is null or team_weeks.week_start < team_memberships.valid_to)
    group by all

)

select * from final
