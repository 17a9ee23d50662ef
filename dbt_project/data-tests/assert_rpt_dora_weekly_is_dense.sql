-- Every team has a row for every week between the first and the last week of the report.
with

report as (

    select * from {{ ref('rpt_dora_weekly') }}

),

bounds as (

    select
        count(distinct team_key) as teams,
        count(distinct week_start) as weeks,
        count(*) as row_count,
        date_diff('week', min(week_start), max(week_start)) + 1 as expected_weeks
    from report

)

select *
from bounds
where
    row_count > 0
    and (weeks != expected_weeks or row_count != teams * weeks)
