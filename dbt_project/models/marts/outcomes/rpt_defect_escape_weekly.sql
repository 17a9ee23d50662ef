{#-
    Defect escape per work item team and week of the bug's created_at (METRICS.md "Defect escape"):
    bugs, bugs found in production and their ratio (null when the week has no bug). Dense on the
    rpt_dora_weekly team x week grid.
-#}
with

team_weeks as (

    select * from {{ ref('rpt_dora_weekly') }}

),

work_items as (

    select * from {{ ref('fct_work_items') }}

),

weekly as (

    select
        team_key,
        cast(date_trunc('week', created_at) as date) as week_start,
        count(*) as bugs,
        count(case when is_found_in_production then 1 end) as bugs_found_in_production
    from work_items
    where canonical_type = 'bug' and team_key is not null and created_at is not null
    group by all

),

final as (

    select
        team_weeks.team_week_id,
        team_weeks.team_key,
        team_weeks.week_start,
        cast(coalesce(weekly.bugs, 0) as integer) as bugs,
        cast(coalesce(weekly.bugs_found_in_production, 0) as integer) as bugs_found_in_production,
        weekly.bugs_found_in_production / nullif(weekly.bugs, 0) as defect_escape_rate
    from team_weeks
    left join weekly
        on
            team_weeks.team_key = weekly.team_key
            and team_weeks.week_start = weekly.week_start

)

select * from final
