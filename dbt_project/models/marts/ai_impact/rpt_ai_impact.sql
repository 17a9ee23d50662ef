{#-
    Before adoption vs after the ramp, per adopting team and metric (METRICS.md "AI impact"): the value in
    each span, the relative change with a 95 % percentile interval from a seeded bootstrap (units drawn
    with replacement within each span; the draw is a hash of the seed and the draw's position, so every
    build gives the same interval), the same for the teams that had not adopted yet (control) and the
    team's after/before ratio over the control's (difference-in-differences), and a verdict in words.
-#}
{%- set replicates = var('ai_impact_bootstrap_replicates') | int -%}
{%- set min_weeks = var('ai_impact_min_weeks') | int -%}
{%- set min_events = var('ai_impact_min_events') | int -%}
with

observations as (

    select * from {{ ref('ai_impact_observations') }}

),

adoption as (

    select * from {{ ref('team_ai_adoption') }}

),

metrics as (

    select * from {{ ref('ai_impact_metrics') }}

),

numbered as (

    select
        observations.*,
        metrics.statistic,
        row_number() over (
            partition by
                observations.subject_team_key, observations.role, observations.metric, observations.period
            order by observations.observed_week, observations.observed_team_key, observations.unit_key
        ) as unit_number
    from observations
    inner join metrics
        on observations.metric = metrics.metric

),

-- one group per team, role, metric and span; a span is usable with enough units
spans as (

    select
        subject_team_key,
        role,
        metric,
        period,
        any_value(statistic) as statistic,
        count(*) as units,
        count(distinct observed_week) as weeks,
        case
            when any_value(statistic) = 'median' then quantile_cont(hours, 0.5)
            else sum(numerator) / nullif(sum(denominator), 0)
        end as point_value,
        case
            when any_value(statistic) = 'median' then count(*) >= {{ min_events }}
            else count(distinct observed_week) >= {{ min_weeks }} and sum(denominator) > 0
        end as is_usable
    from numbered
    group by subject_team_key, role, metric, period

),

draws as (

    select
        spans.subject_team_key,
        spans.role,
        spans.metric,
        spans.period,
        spans.statistic,
        spans.units,
        replicate.replicate_number,
        unnest(range(1, spans.units + 1)) as draw_number
    from spans
    cross join range(1, {{ replicates }} + 1) as replicate (replicate_number)
    where spans.is_usable

),

picks as (

    select
        *,
        {{ bootstrap_unit_number(
            ['subject_team_key', 'role', 'metric', 'period', 'replicate_number', 'draw_number'], 'units'
        ) }} as unit_number
    from draws

),

replicate_values as (

    select
        picks.subject_team_key,
        picks.role,
        picks.metric,
        picks.period,
        picks.replicate_number,
        case
            when any_value(picks.statistic) = 'median' then quantile_cont(numbered.hours, 0.5)
            else sum(numbered.numerator) / nullif(sum(numbered.denominator), 0)
        end as replicate_value
    from picks
    inner join numbered
        on
            picks.subject_team_key = numbered.subject_team_key
            and picks.role = numbered.role
            and picks.metric = numbered.metric
            and picks.period = numbered.period
            and picks.unit_number = numbered.unit_number
    group by all

),

replicate_changes as (

    select
        subject_team_key,
        role,
        metric,
        replicate_number,
        max(replicate_value) filter (where period = 'after')
        / nullif(max(replicate_value) filter (where period = 'before'), 0) - 1 as replicate_change
    from replicate_values
    group by all

),

replicate_differences as (

    select
        team_side.subject_team_key,
        team_side.metric,
        (1 + team_side.replicate_change) / nullif(1 + control_side.replicate_change, 0) - 1 as replicate_difference
    from replicate_changes as team_side
    inner join replicate_changes as control_side
        on
            team_side.subject_team_key = control_side.subject_team_key
            and team_side.metric = control_side.metric
            and team_side.replicate_number = control_side.replicate_number
    where team_side.role = 'team' and control_side.role = 'control'

),

intervals as (

    select
        subject_team_key,
        role,
        metric,
        quantile_cont(replicate_change, 0.025) as change_ci_low,
        quantile_cont(replicate_change, 0.975) as change_ci_high
    from replicate_changes
    group by all

),

difference_intervals as (

    select
        subject_team_key,
        metric,
        quantile_cont(replicate_difference, 0.025) as difference_ci_low,
        quantile_cont(replicate_difference, 0.975) as difference_ci_high
    from replicate_differences
    group by all

),

sides as (

    select
        subject_team_key,
        role,
        metric,
        max(point_value) filter (where period = 'before') as before_value,
        max(point_value) filter (where period = 'after') as after_value,
        coalesce(max(units) filter (where period = 'before'), 0) as before_units,
        coalesce(max(units) filter (where period = 'after'), 0) as after_units,
        coalesce(bool_and(is_usable), false) and count(*) = 2 as is_comparable
    from spans
    group by all

),

-- every metric of every adopting team, compared or not
grid as (

    select
        adoption.team_key,
        metrics.metric
    from adoption
    cross join metrics
    where adoption.has_adopted

),

compared as (

    select
        grid.team_key,
        grid.metric,
        team_side.before_value,
        team_side.after_value,
        case
            when team_side.is_comparable
                then team_side.after_value / nullif(team_side.before_value, 0) - 1
        end as relative_change,
        case when team_side.is_comparable then team_intervals.change_ci_low end as change_ci_low,
        case when team_side.is_comparable then team_intervals.change_ci_high end as change_ci_high,
        control_side.before_value as control_before_value,
        control_side.after_value as control_after_value,
        coalesce(control_side.before_units, 0) as control_before_units,
        coalesce(control_side.after_units, 0) as control_after_units,
        coalesce(team_side.before_units, 0) as before_units_or_zero,
        coalesce(team_side.after_units, 0) as after_units_or_zero,
        coalesce(team_side.is_comparable and control_side.is_comparable, false) as has_control,
        case
            when team_side.is_comparable and control_side.is_comparable
                then control_side.after_value / nullif(control_side.before_value, 0) - 1
        end as control_relative_change,
        difference_intervals.difference_ci_low,
        difference_intervals.difference_ci_high
    from grid
    left join sides as team_side
        on
            grid.team_key = team_side.subject_team_key
            and grid.metric = team_side.metric
            and team_side.role = 'team'
    left join sides as control_side
        on
            grid.team_key = control_side.subject_team_key
            and grid.metric = control_side.metric
            and control_side.role = 'control'
    left join intervals as team_intervals
        on
            grid.team_key = team_intervals.subject_team_key
            and grid.metric = team_intervals.metric
            and team_intervals.role = 'team'
    left join difference_intervals
        on
            grid.team_key = difference_intervals.subject_team_key
            and grid.metric = difference_intervals.metric

),

-- the verdict reads the difference-in-differences where a control exists, else the team's own change
estimates as (

    select
        compared.*,
        metrics.metric_kind,
        metrics.better,
        metrics.is_speed,
        -- ratio of the two ratios: a trend that scales every team alike cancels out
        (1 + compared.relative_change) / nullif(1 + compared.control_relative_change, 0) - 1
            as difference_in_differences,
        case when compared.has_control then 'difference-in-differences' else 'before/after' end as estimate_basis,
        case
            when compared.has_control then compared.difference_ci_low else compared.change_ci_low
        end as estimate_ci_low,
        case
            when compared.has_control then compared.difference_ci_high else compared.change_ci_high
        end as estimate_ci_high
    from compared
    inner join metrics
        on compared.metric = metrics.metric

),

directions as (

    select
        *,
        case
            when estimate_ci_low is null or estimate_ci_high is null then 'not enough data'
            when estimate_ci_low <= 0 and estimate_ci_high >= 0 then 'no change'
            when metric_kind = 'activity' then case when estimate_ci_low > 0 then 'up' else 'down' end
            when (better = 'higher') = (estimate_ci_low > 0) then 'improved'
            else 'worsened'
        end as direction
    from estimates

),

team_verdicts as (

    select
        team_key,
        case
            when count(*) filter (where is_speed and direction != 'not enough data') = 0 then 'not enough data'
            when
                bool_or(is_speed and direction = 'improved') and not bool_or(is_speed and direction = 'worsened')
                then 'faster'
            when
                bool_or(metric = 'prs_merged_per_engineer_week' and direction = 'up')
                and not bool_or(is_speed and direction = 'improved')
                then 'busier, not faster'
            when
                bool_or(is_speed and direction = 'worsened') and not bool_or(is_speed and direction = 'improved')
                then 'slower'
            else 'no change'
        end as verdict
    from directions
    group by team_key

),

final as (

    select
        directions.team_key || ':' || directions.metric as ai_impact_id,
        directions.team_key,
        directions.metric,
        directions.metric_kind,
        directions.better,
        directions.is_speed,
        adoption.adoption_week,
        adoption.adoption_method,
        adoption.first_week_after_ramp,
        directions.before_value,
        directions.after_value,
        cast(directions.before_units_or_zero as integer) as before_units,
        cast(directions.after_units_or_zero as integer) as after_units,
        directions.relative_change,
        directions.change_ci_low,
        directions.change_ci_high,
        directions.control_before_value,
        directions.control_after_value,
        cast(directions.control_before_units as integer) as control_before_units,
        cast(directions.control_after_units as integer) as control_after_units,
        directions.control_relative_change,
        directions.difference_in_differences,
        directions.difference_ci_low,
        directions.difference_ci_high,
        directions.estimate_basis,
        directions.direction,
        team_verdicts.verdict
    from directions
    inner join team_verdicts
        on directions.team_key = team_verdicts.team_key
    inner join adoption
        on directions.team_key = adoption.team_key

)

select * from final
