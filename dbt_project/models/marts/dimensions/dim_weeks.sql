{#- The one week spine (METRICS.md "Weeks"): every Monday-start UTC week from the first to the last week in
    which any team deployed to production, committed or merged a pull request, gaps included, so a
    team x week with no events is a zero row in every weekly report rather than a missing one. -#}
with

deployments as (

    select * from {{ ref('fct_deployments') }}

),

activity as (

    select * from {{ ref('fct_activity_daily') }}

),

active_weeks as (

    select cast(date_trunc('week', deployed_at) as date) as week_start
    from deployments
    where is_production_deployment and team_key is not null
    union all
    select cast(date_trunc('week', activity_date) as date) as week_start
    from activity
    where team_key is not null and (commits > 0 or prs_merged > 0)

),

week_range as (

    select
        min(week_start) as first_week,
        max(week_start) as last_week
    from active_weeks

),

weeks as (

    select cast(unnest(generate_series(first_week, last_week, interval 7 day)) as date) as week_start
    from week_range
    where first_week is not null

),

final as (

    select
        week_start,
        cast(week_start + interval 6 day as date) as week_end,
        cast(isoyear(week_start) as integer) as iso_year,
        cast(week(week_start) as integer) as iso_week,
        strftime(week_start, '%G-W%V') as week_label,
        cast(date_trunc('month', week_start) as date) as month_start
    from weeks

)

select * from final
