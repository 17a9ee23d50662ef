{#- The one week spine (METRICS.md "Weeks"): every Monday-start UTC week from the first to the last week of any
    dated fact a weekly report counts, gaps included, so a team x week with no events is a zero row in every
    weekly report rather than a missing one, and no fact falls outside the reports (the data test
    assert_weekly_facts_inside_dim_weeks). The **delivery span** (`is_in_delivery_span`) runs from the first
    to the last week with an event of the code and deployment sources (a commit, a pull request opened or
    merged, a review, a production deployment attempt) of any team. Per-week rates and baselines (AI impact,
    divergence, alerts) use only those weeks: outside it activity and deployments are unknown, not zero. -#}
with

deployments as (

    select * from {{ ref('fct_deployments') }}

),

activity as (

    select * from {{ ref('fct_activity_daily') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

incidents as (

    select * from {{ ref('fct_incidents') }}

),

work_items as (

    select * from {{ ref('work_items') }}

),

classified_work_items as (

    select * from {{ ref('fct_work_items') }}

),

-- weeks in which the code and deployment sources (git, pull requests, deployments) recorded something
delivery_weeks as (

    select cast(date_trunc('week', attempted_at) as date) as week_start
    from deployments
    where is_deployment_attempt and team_key is not null
    union all
    select cast(date_trunc('week', deployed_at) as date) as week_start
    from deployments
    where is_production_deployment and team_key is not null
    union all
    select cast(date_trunc('week', activity_date) as date) as week_start
    from activity
    where team_key is not null and (commits > 0 or prs_opened > 0 or prs_merged > 0 or reviews_given > 0)
    union all
    select cast(date_trunc('week', merged_at) as date) as week_start
    from changes
    where team_key is not null and merged_at is not null

),

-- and the trackers' facts (incidents, work items), whose history can reach beyond it: a backlog filed
-- before the first commit the warehouse reads. Rows dated by a deployment's deployed_at (changes,
-- delivered work items, PR cycles) fall in a production deployment's week above.
fact_weeks as (

    select week_start from delivery_weeks
    union all
    select cast(date_trunc('week', created_at) as date) as week_start
    from incidents
    where team_key is not null and created_at is not null
    union all
    select cast(date_trunc('week', resolved_at) as date) as week_start
    from work_items
    where team_key is not null and resolved_at is not null
    union all
    select cast(date_trunc('week', created_at) as date) as week_start
    from classified_work_items
    where team_key is not null and canonical_type = 'bug' and created_at is not null

),

fact_range as (

    select
        min(week_start) as first_week,
        max(week_start) as last_week
    from fact_weeks

),

delivery_range as (

    select
        min(week_start) as first_delivery_week,
        max(week_start) as last_delivery_week
    from delivery_weeks

),

weeks as (

    select
        cast(unnest(generate_series(fact_range.first_week, fact_range.last_week, interval 7 day)) as date)
            as week_start,
        delivery_range.first_delivery_week,
        delivery_range.last_delivery_week
    from fact_range
    cross join delivery_range
    where fact_range.first_week is not null

),

final as (

    select
        week_start,
        cast(week_start + interval 6 day as date) as week_end,
        cast(isoyear(week_start) as integer) as iso_year,
        cast(week(week_start) as integer) as iso_week,
        strftime(week_start, '%G-W%V') as week_label,
        cast(date_trunc('month', week_start) as date) as month_start,
        coalesce(week_start between first_delivery_week and last_delivery_week, false) as is_in_delivery_span
    from weeks

)

select * from final
