{#-
    Activity beside outcomes per team and week, and for the whole org (METRICS.md "Divergence"): each
    measure over the current window (the week and the W-1 before it) against the team's own trailing
    baseline (the B weeks before the window). The activity index is the mean relative change of the
    activity measures per engineer-week; the outcome index the mean relative improvement of the speed
    outcomes that have enough events on both sides. `is_busier_not_faster`: activity up by at least X
    while no outcome improved by Y. Only weeks of the delivery span (dim_weeks.is_in_delivery_span) count
    in a window or baseline: a week outside it has no data, not zero activity.
-#}
{%- set window_weeks = var('divergence_window_weeks') | int -%}
{%- set baseline_weeks = var('divergence_baseline_weeks') | int -%}
{%- set activity_threshold = var('divergence_activity_threshold') | float -%}
{%- set outcome_threshold = var('divergence_outcome_threshold') | float -%}
{%- set min_sample = var('divergence_min_sample') | int -%}
{%- set in_current = 'earlier.week_start > weeks.week_start - interval (' ~ window_weeks ~ ' * 7) day' -%}
{%- set in_baseline = 'earlier.week_start <= weeks.week_start - interval (' ~ window_weeks ~ ' * 7) day' -%}
with

team_weeks as (

    select * from {{ ref('rpt_dora_weekly') }}

),

weeks as (

    select * from {{ ref('dim_weeks') }}

),

headcount as (

    select * from {{ ref('team_headcount_weekly') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

work_items as (

    select * from {{ ref('fct_work_items') }}

),

team_sums as (

    select
        'team' as level,
        team_weeks.team_key as group_key,
        team_weeks.team_key,
        team_weeks.week_start,
        weeks.is_in_delivery_span,
        coalesce(headcount.engineers, 0) as engineers,
        team_weeks.prs_merged,
        team_weeks.commits,
        team_weeks.lines_added + team_weeks.lines_deleted as lines_changed,
        team_weeks.deployments
    from team_weeks
    inner join weeks
        on team_weeks.week_start = weeks.week_start
    left join headcount
        on
            team_weeks.team_key = headcount.team_key
            and team_weeks.week_start = headcount.week_start

),

-- the org: every team's week summed (group_key '' cannot be a team key: config keys are non-empty)
org_sums as (

    select
        'org' as level,
        '' as group_key,
        null as team_key,
        week_start,
        is_in_delivery_span,
        sum(engineers) as engineers,
        sum(prs_merged) as prs_merged,
        sum(commits) as commits,
        sum(lines_changed) as lines_changed,
        sum(deployments) as deployments
    from team_sums
    group by week_start, is_in_delivery_span

),

weekly_sums as (

    select * from team_sums
    union all
    select * from org_sums

),

-- sums over the current window and over the baseline just before it, for every week of the grid; only
-- weeks of the delivery span count (a window reaching outside it is incomplete: not enough data)
windowed_sums as (

    select
        weeks.level,
        weeks.group_key,
        weeks.team_key,
        weeks.week_start,
        count(*) filter (where {{ in_current }} and earlier.is_in_delivery_span) as current_weeks,
        count(*) filter (where {{ in_baseline }} and earlier.is_in_delivery_span) as baseline_weeks,
    {%- for column in ['engineers', 'prs_merged', 'commits', 'lines_changed', 'deployments'] %}
        coalesce(sum(earlier.{{ column }}) filter (where {{ in_current }} and earlier.is_in_delivery_span), 0)
            as current_{{ column }},
        coalesce(sum(earlier.{{ column }}) filter (where {{ in_baseline }} and earlier.is_in_delivery_span), 0)
            as baseline_{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
    from weekly_sums as weeks
    inner join weekly_sums as earlier
        on
            weeks.group_key = earlier.group_key
            and weeks.week_start >= earlier.week_start
            and earlier.week_start > weeks.week_start - interval (({{ window_weeks }} + {{ baseline_weeks }}) * 7) day
    group by all

),

-- durations whose median is an outcome, by the week their change or work item reached production
durations as (

    select
        team_key,
        'lead_time' as measure,
        cast(date_trunc('week', deployed_at) as date) as event_week,
        lead_time_hours as hours
    from changes
    where lead_time_hours is not null and team_key is not null
    union all
    select
        team_key,
        'request_to_production' as measure,
        cast(date_trunc('week', deployed_at) as date) as event_week,
        request_to_production_hours as hours
    from work_items
    where is_delivered and request_to_production_hours is not null and team_key is not null

),

grouped_durations as (

    select
        team_key as group_key,
        measure,
        event_week,
        hours
    from durations
    union all
    select
        '' as group_key,
        measure,
        event_week,
        hours
    from durations

),

windowed_medians as (

    select
        windowed_sums.group_key,
        windowed_sums.week_start,
        grouped_durations.measure,
        quantile_cont(grouped_durations.hours, 0.5) filter (
            where grouped_durations.event_week > windowed_sums.week_start - interval ({{ window_weeks }} * 7) day
        ) as current_p50_hours,
        quantile_cont(grouped_durations.hours, 0.5) filter (
            where grouped_durations.event_week <= windowed_sums.week_start - interval ({{ window_weeks }} * 7) day
        ) as baseline_p50_hours,
        count(*) filter (
            where grouped_durations.event_week > windowed_sums.week_start - interval ({{ window_weeks }} * 7) day
        ) as current_count,
        count(*) filter (
            where grouped_durations.event_week <= windowed_sums.week_start - interval ({{ window_weeks }} * 7) day
        ) as baseline_count
    from windowed_sums
    inner join grouped_durations
        on
            windowed_sums.group_key = grouped_durations.group_key
            and windowed_sums.week_start >= grouped_durations.event_week
            and grouped_durations.event_week
            > windowed_sums.week_start - interval (({{ window_weeks }} + {{ baseline_weeks }}) * 7) day
    group by all

),

medians as (

    select
        group_key,
        week_start,
        max(current_p50_hours) filter (where measure = 'lead_time') as current_lead_time_p50_hours,
        max(baseline_p50_hours) filter (where measure = 'lead_time') as baseline_lead_time_p50_hours,
        coalesce(max(current_count) filter (where measure = 'lead_time'), 0) as current_changes,
        coalesce(max(baseline_count) filter (where measure = 'lead_time'), 0) as baseline_changes,
        max(current_p50_hours) filter (where measure = 'request_to_production')
            as current_request_to_production_p50_hours,
        max(baseline_p50_hours) filter (where measure = 'request_to_production')
            as baseline_request_to_production_p50_hours,
        coalesce(max(current_count) filter (where measure = 'request_to_production'), 0)
            as current_items_delivered,
        coalesce(max(baseline_count) filter (where measure = 'request_to_production'), 0)
            as baseline_items_delivered
    from windowed_medians
    group by all

),

-- relative changes; an incomplete window or baseline, or a zero baseline, gives null (not enough data)
changes_vs_baseline as (

    select
        windowed_sums.*,
        medians.current_lead_time_p50_hours,
        medians.baseline_lead_time_p50_hours,
        medians.current_request_to_production_p50_hours,
        medians.baseline_request_to_production_p50_hours,
        coalesce(medians.current_changes, 0) as current_changes,
        coalesce(medians.baseline_changes, 0) as baseline_changes,
        coalesce(medians.current_items_delivered, 0) as current_items_delivered,
        coalesce(medians.baseline_items_delivered, 0) as baseline_items_delivered,
        windowed_sums.current_weeks = {{ window_weeks }} and windowed_sums.baseline_weeks = {{ baseline_weeks }}
            as has_full_windows,
        {%- for column in ['prs_merged', 'commits', 'lines_changed'] %}
            (windowed_sums.current_{{ column }} / nullif(windowed_sums.current_engineers, 0))
            / nullif(windowed_sums.baseline_{{ column }} / nullif(windowed_sums.baseline_engineers, 0), 0)
            - 1 as {{ column }}_per_engineer_change,
        {%- endfor %}
        case
            when least(windowed_sums.current_deployments, windowed_sums.baseline_deployments) >= {{ min_sample }}
                then (windowed_sums.current_deployments / {{ window_weeks }})
                    / (windowed_sums.baseline_deployments / {{ baseline_weeks }}) - 1
        end as deployment_frequency_change,
        case
            when least(medians.current_changes, medians.baseline_changes) >= {{ min_sample }}
                then medians.current_lead_time_p50_hours / nullif(medians.baseline_lead_time_p50_hours, 0) - 1
        end as lead_time_p50_change,
        case
            when least(medians.current_items_delivered, medians.baseline_items_delivered) >= {{ min_sample }}
                then medians.current_request_to_production_p50_hours
                    / nullif(medians.baseline_request_to_production_p50_hours, 0) - 1
        end as request_to_production_p50_change
    from windowed_sums
    left join medians
        on
            windowed_sums.group_key = medians.group_key
            and windowed_sums.week_start = medians.week_start

),

-- an improvement is a rise in deployment frequency or a fall in a waiting time (stability is judged in
-- rpt_ai_impact: a relative change of a small failure rate is mostly noise week to week)
indexes as (

    select
        *,
        case when has_full_windows then
                list_avg(list_filter(
                    [prs_merged_per_engineer_change, commits_per_engineer_change, lines_changed_per_engineer_change],
                    x -> x is not null
                ))
        end as activity_index,
        case when has_full_windows then
                list_filter(
                    [deployment_frequency_change, -lead_time_p50_change, -request_to_production_p50_change],
                    x -> x is not null
                )
        end as outcome_improvements
    from changes_vs_baseline

),

final as (

    select
        level || ':' || group_key || ':' || strftime(week_start, '%Y-%m-%d') as divergence_week_id,
        level,
        team_key,
        week_start,
        current_weeks,
        baseline_weeks,
        cast(current_engineers as integer) as current_engineer_weeks,
        cast(baseline_engineers as integer) as baseline_engineer_weeks,
        prs_merged_per_engineer_change,
        commits_per_engineer_change,
        lines_changed_per_engineer_change,
        deployment_frequency_change,
        lead_time_p50_change,
        request_to_production_p50_change,
        cast(current_deployments as integer) as current_deployments,
        cast(baseline_deployments as integer) as baseline_deployments,
        cast(current_changes as integer) as current_changes,
        cast(baseline_changes as integer) as baseline_changes,
        cast(current_items_delivered as integer) as current_items_delivered,
        cast(baseline_items_delivered as integer) as baseline_items_delivered,
        activity_index,
        case when len(outcome_improvements) > 0 then list_avg(outcome_improvements) end as outcome_index,
        case
            when activity_index is null or len(outcome_improvements) = 0 then null
            else activity_index >= {{ activity_threshold }}
                and list_max(outcome_improvements) < {{ outcome_threshold }}
        end as is_busier_not_faster,
        case
            when activity_index is null or len(outcome_improvements) = 0 then 'not enough data'
            when list_max(outcome_improvements) >= {{ outcome_threshold }} then 'faster'
            when activity_index >= {{ activity_threshold }} then 'busier, not faster'
            else 'steady'
        end as divergence_status
    from indexes

)

select * from final
