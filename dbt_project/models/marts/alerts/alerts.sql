{#-
    Regressions of each team's latest complete week against its own baseline (METRICS.md "Alerts"): one
    row per team and metric that got worse by at least the metric's threshold. Only weeks of the delivery
    span (dim_weeks.is_in_delivery_span) count: its last week is the one in progress, so the latest
    complete week is the one before it; the baseline is the median of the metric's weekly values over the
    `alert_baseline_weeks` weeks before that.
-#}
{%- set baseline_weeks = var('alert_baseline_weeks') | int -%}
{%- set min_baseline_weeks = var('alert_min_baseline_weeks') | int -%}
{#- metric, its weekly column, whether a rise is the regression (else a fall) -#}
{%- set watched = [
    ('deployments', 'deployments', false),
    ('lead_time_p50_hours', 'lead_time_p50_hours', true),
    ('change_failure_rate', 'change_failure_rate', true),
    ('recovery_time_p50_hours', 'recovery_time_p50_hours', true),
    ('request_to_production_p50_hours', 'request_to_production_p50_hours', true),
] -%}
with

team_weeks as (

    select * from {{ ref('rpt_dora_weekly') }}

),

request_weeks as (

    select * from {{ ref('rpt_request_to_production_weekly') }}

),

weeks as (

    select * from {{ ref('dim_weeks') }}

),

weekly as (

    select
        team_weeks.*,
        request_weeks.request_to_production_p50_hours
    from team_weeks
    inner join weeks
        on team_weeks.week_start = weeks.week_start
    left join request_weeks
        on team_weeks.team_week_id = request_weeks.team_week_id
    where weeks.is_in_delivery_span

),

latest_complete as (

    select cast(max(week_start) - interval 7 day as date) as week_start
    from weekly

),

weekly_values as (

    {%- for metric, column, rise_is_worse in watched %}
        select
            team_key,
            week_start,
            '{{ metric }}' as metric,
            {{ rise_is_worse }} as rise_is_worse,
            cast({{ var('alert_threshold_' ~ metric) }} as double) as threshold,
            cast({{ column }} as double) as weekly_value
        from weekly
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

compared as (

    select
        weekly_values.team_key,
        weekly_values.metric,
        latest_complete.week_start,
        any_value(weekly_values.rise_is_worse) as rise_is_worse,
        any_value(weekly_values.threshold) as threshold,
        max(weekly_values.weekly_value) filter (where weekly_values.week_start = latest_complete.week_start)
            as week_value,
        quantile_cont(weekly_values.weekly_value, 0.5) filter (
            where weekly_values.week_start < latest_complete.week_start
        ) as baseline_value,
        count(weekly_values.weekly_value) filter (
            where weekly_values.week_start < latest_complete.week_start
        ) as baseline_weeks
    from weekly_values
    cross join latest_complete
    where
        weekly_values.week_start <= latest_complete.week_start
        and weekly_values.week_start >= latest_complete.week_start - interval ({{ baseline_weeks }} * 7) day
    group by all

),

regressions as (

    select
        *,
        week_value / nullif(baseline_value, 0) - 1 as relative_change,
        case when rise_is_worse then 1 else -1 end * (week_value / nullif(baseline_value, 0) - 1) as worsening
    from compared
    where week_value is not null and baseline_weeks >= {{ min_baseline_weeks }}

),

final as (

    select
        team_key || ':' || metric || ':' || strftime(week_start, '%Y-%m-%d') as alert_id,
        team_key,
        metric,
        week_start,
        week_value as value,
        baseline_value as baseline,
        cast(baseline_weeks as integer) as baseline_weeks,
        relative_change as change,
        threshold,
        case when worsening >= 2 * threshold then 'critical' else 'warning' end as severity,
        team_key || ': ' || replace(metric, '_', ' ') || ' '
        || case when relative_change > 0 then 'rose' else 'fell' end
        || ' ' || cast(round(abs(relative_change) * 100) as integer) || '% in the week of '
        || strftime(week_start, '%Y-%m-%d') || ' (' || round(week_value, 2) || ' vs a median of '
        || round(baseline_value, 2) || ' over ' || baseline_weeks || ' weeks; threshold '
        || cast(round(threshold * 100) as integer) || '%)' as message
    from regressions
    where worsening >= threshold

)

select * from final
