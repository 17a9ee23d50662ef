{#-
    The observations rpt_ai_impact compares (METRICS.md "AI impact"): for every adopting team, each
    metric's units in the weeks before adoption and after the ramp, for the team itself (role `team`)
    and for the teams that had not adopted by the end of its after window (role `control`, pooled).
    A unit is an event (a change, a delivered work item, a failure, a merged PR) for a median, or a
    team-week (numerator and denominator) for a rate. Rate units are the team-weeks of the delivery span
    (dim_weeks.is_in_delivery_span): a week outside it has no data, which is not a week of zero activity.
-#}
{%- set before_weeks = var('ai_impact_before_weeks') | int -%}
{%- set after_weeks = var('ai_impact_after_weeks') | int -%}
with

adoption as (

    select * from {{ ref('team_ai_adoption') }}

),

team_weeks as (

    select * from {{ ref('rpt_dora_weekly') }}

),

weeks as (

    select * from {{ ref('dim_weeks') }}

),

defect_weeks as (

    select * from {{ ref('rpt_defect_escape_weekly') }}

),

headcount as (

    select * from {{ ref('team_headcount_weekly') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

delivered_items as (

    select * from {{ ref('fct_work_items') }}
    where is_delivered

),

work_items as (

    select * from {{ ref('work_items') }}

),

-- a team's merged PRs include those its coding agents opened (credited team, METRICS.md "Whose pull request")
credited_prs as (

    select * from {{ ref('team_merged_prs_weekly') }}

),

deployments as (

    select * from {{ ref('fct_deployments') }}

),

pull_request_cycle as (

    select * from {{ ref('fct_pull_request_cycle') }}

),

story_points as (

    select
        delivered_items.team_key,
        cast(date_trunc('week', delivered_items.deployed_at) as date) as week_start,
        sum(work_items.story_points) as story_points
    from delivered_items
    inner join work_items
        on delivered_items.work_item_id = work_items.work_item_id
    group by all

),

weekly as (

    select
        team_weeks.team_key,
        team_weeks.week_start,
        coalesce(headcount.engineers, 0) as engineers,
        coalesce(credited_prs.prs_merged, 0) as prs_merged,
        team_weeks.commits,
        team_weeks.lines_added + team_weeks.lines_deleted as lines_changed,
        coalesce(story_points.story_points, 0) as story_points,
        team_weeks.deployments,
        team_weeks.failure_rate_deployments,
        team_weeks.failed_deployments,
        team_weeks.rework_deployments,
        coalesce(defect_weeks.bugs, 0) as bugs,
        coalesce(defect_weeks.bugs_found_in_production, 0) as bugs_found_in_production
    from team_weeks
    inner join weeks
        on team_weeks.week_start = weeks.week_start
    left join headcount
        on team_weeks.team_key = headcount.team_key and team_weeks.week_start = headcount.week_start
    left join story_points
        on team_weeks.team_key = story_points.team_key and team_weeks.week_start = story_points.week_start
    left join defect_weeks
        on team_weeks.team_key = defect_weeks.team_key and team_weeks.week_start = defect_weeks.week_start
    left join credited_prs
        on team_weeks.team_key = credited_prs.team_key and team_weeks.week_start = credited_prs.week_start
    where weeks.is_in_delivery_span

),

-- rates: one unit per team-week
rate_units as (

    {%- set rates = [
        ('prs_merged_per_engineer_week', 'prs_merged', 'engineers'),
        ('commits_per_engineer_week', 'commits', 'engineers'),
        ('lines_changed_per_engineer_week', 'lines_changed', 'engineers'),
        ('story_points_per_engineer_week', 'story_points', 'engineers'),
        ('deployments_per_week', 'deployments', '1'),
        ('change_failure_rate', 'failed_deployments', 'failure_rate_deployments'),
        ('rework_rate', 'rework_deployments', 'deployments'),
        ('defect_escape_rate', 'bugs_found_in_production', 'bugs'),
    ] %}
    {%- for metric, numerator, denominator in rates %}
        select
            team_key,
            '{{ metric }}' as metric,
            week_start as observed_week,
            strftime(week_start, '%Y-%m-%d') as unit_key,
            cast(null as double) as hours,
            cast({{ numerator }} as double) as numerator,
            cast({{ denominator }} as double) as denominator
        from weekly
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

-- durations: one unit per event, in the week the event happened
duration_units as (

    select
        team_key,
        'lead_time_p50_hours' as metric,
        cast(date_trunc('week', deployed_at) as date) as observed_week,
        pull_request_key as unit_key,
        lead_time_hours as hours,
        null as numerator,
        null as denominator
    from changes
    where lead_time_hours is not null
    union all
    select
        team_key,
        'request_to_production_p50_hours' as metric,
        cast(date_trunc('week', deployed_at) as date) as observed_week,
        work_item_id as unit_key,
        request_to_production_hours as hours,
        null as numerator,
        null as denominator
    from delivered_items
    where request_to_production_hours is not null
    union all
    select
        team_key,
        'recovery_time_p50_hours' as metric,
        cast(date_trunc('week', attempted_at) as date) as observed_week,
        cast(deployment_id as varchar) as unit_key,
        recovery_hours as hours,
        null as numerator,
        null as denominator
    from deployments
    where counts_as_change_failure and is_change_failure and recovery_hours is not null
    union all
    select
        team_key,
        'review_pickup_p50_hours' as metric,
        cast(date_trunc('week', merged_at) as date) as observed_week,
        pull_request_key as unit_key,
        pickup_hours as hours,
        null as numerator,
        null as denominator
    from pull_request_cycle
    where pickup_hours is not null
    union all
    select
        team_key,
        'review_p50_hours' as metric,
        cast(date_trunc('week', merged_at) as date) as observed_week,
        pull_request_key as unit_key,
        review_hours as hours,
        null as numerator,
        null as denominator
    from pull_request_cycle
    where review_hours is not null

),

units as (

    select * from rate_units
    where team_key is not null
    union all
    select * from duration_units
    where team_key is not null

),

-- each adopting team's two spans of weeks: before adoption, and after the ramp
spans as (

    select
        team_key as subject_team_key,
        cast(adoption_week - interval ({{ before_weeks }} * 7) day as date) as before_start,
        adoption_week as before_end,
        first_week_after_ramp as after_start,
        cast(first_week_after_ramp + interval ({{ after_weeks }} * 7) day as date) as after_end
    from adoption
    where has_adopted

),

-- the team itself, and the teams that had not adopted before the end of its after window
roles as (

    select
        spans.*,
        adoption.team_key as observed_team_key,
        case when adoption.team_key = spans.subject_team_key then 'team' else 'control' end as role
    from spans
    inner join adoption
        on
            spans.subject_team_key = adoption.team_key
            or adoption.adoption_week is null
            or spans.after_end <= adoption.adoption_week

),

final as (

    select
        roles.subject_team_key,
        roles.role,
        units.team_key as observed_team_key,
        units.metric,
        case when units.observed_week < roles.before_end then 'before' else 'after' end as period,
        units.observed_week,
        units.unit_key,
        units.hours,
        units.numerator,
        units.denominator,
        roles.before_start,
        roles.before_end,
        roles.after_start,
        roles.after_end
    from roles
    inner join units
        on
            roles.observed_team_key = units.team_key
            and (
                (roles.before_start <= units.observed_week and roles.before_end > units.observed_week)
                or (roles.after_start <= units.observed_week and roles.after_end > units.observed_week)
            )

)

select * from final
