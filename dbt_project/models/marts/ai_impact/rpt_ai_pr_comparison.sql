{#-
    AI-assisted vs other merged pull requests, within one team and period (METRICS.md "AI pull request
    comparison"). A unit is a merged pull request of the credited team; the `ai` group holds those whose
    ai_assistance is `assisted` or `agent_authored`, the `other` group those with `none`. Periods: the
    team's `before` and `after` spans exactly as rpt_ai_impact draws them from team_ai_adoption (the weeks
    before the adoption week; the weeks from the first week after the ramp), by the week of merged_at, and
    `all` (every merged pull request of the team, for every team, adopted or not). Each measure's
    difference = ai ÷ other - 1 with a seeded percentile bootstrap 95 % interval, drawn within each group
    as rpt_ai_impact draws within each span.
-#}
{%- set before_weeks = var('ai_impact_before_weeks') | int -%}
{%- set after_weeks = var('ai_impact_after_weeks') | int -%}
{%- set replicates = var('ai_impact_bootstrap_replicates') | int -%}
{%- set min_units = var('ai_impact_min_events') | int -%}
{#- (measure, statistic): a median of the units' values, or a mean (a rate when the values are 0 or 1) -#}
{%- set measures = [
    ('lines_changed', 'median'),
    ('commits', 'median'),
    ('coding_hours', 'median'),
    ('pickup_hours', 'median'),
    ('review_hours', 'median'),
    ('merge_hours', 'median'),
    ('deploy_wait_hours', 'median'),
    ('review_rounds', 'mean'),
    ('rollback_rate', 'rate'),
    ('revert_rate', 'rate'),
    ('incident_rate', 'rate'),
    ('production_bug_rate', 'rate'),
] -%}
with

pull_requests as (

    select * from {{ ref('fct_pull_requests') }}

),

pull_request_cycle as (

    select * from {{ ref('fct_pull_request_cycle') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

commits as (

    select * from {{ ref('commits') }}

),

reviews as (

    select * from {{ ref('reviews_by_others') }}

),

deployments as (

    select * from {{ ref('fct_deployments') }}

),

reverts as (

    select * from {{ ref('fct_reverts') }}

),

work_item_pull_requests as (

    select * from {{ ref('work_item_pull_requests') }}

),

work_items as (

    select * from {{ ref('fct_work_items') }}

),

adoption as (

    select * from {{ ref('team_ai_adoption') }}

),

measure_list as (

    {%- for measure, statistic in measures %}
        select
            '{{ measure }}' as measure,
            '{{ statistic }}' as statistic,
            {{ loop.index }} as measure_order
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

merged_pull_requests as (

    select
        pull_request_key,
        repository,
        merge_commit_sha,
        credited_team_key as team_key,
        case when ai_assistance = 'none' then 'other' else 'ai' end as pr_group,
        cast(date_trunc('week', merged_at) as date) as merged_week,
        merged_at,
        commit_count,
        deployment_id,
        is_deployed
    from pull_requests
    where
        is_merged
        and credited_team_key is not null
        and ai_assistance in ('assisted', 'agent_authored', 'none')

),

-- size: lines of the pull request's non-merge commits; unknown when any of them has no line counts
pull_request_lines as (

    select
        pull_request_commits.pull_request_key,
        case
            when count(commits.additions) = count(*) and count(commits.deletions) = count(*)
                then sum(commits.additions + commits.deletions)
        end as lines_changed
    from pull_request_commits
    left join commits
        on
            pull_request_commits.repository = commits.repository
            and pull_request_commits.commit_sha = commits.commit_sha
    where not coalesce(pull_request_commits.is_merge, false)
    group by pull_request_commits.pull_request_key

),

-- reviews by others up to the merge: one round, plus one per change request
review_rounds as (

    select
        reviews.pull_request_key,
        1 + count(*) filter (where reviews.review_state = 'CHANGES_REQUESTED') as review_rounds
    from reviews
    inner join merged_pull_requests
        on reviews.pull_request_key = merged_pull_requests.pull_request_key
    where reviews.submitted_at <= merged_pull_requests.merged_at
    group by reviews.pull_request_key

),

production_bug_links as (

    select distinct work_item_pull_requests.pull_request_key
    from work_item_pull_requests
    inner join work_items
        on work_item_pull_requests.work_item_id = work_items.work_item_id
    where work_items.canonical_type = 'bug' and work_items.is_found_in_production

),

-- pull requests whose merge commit or one of whose commits a later revert undid
reverted_pull_requests as (

    select merged_pull_requests.pull_request_key
    from merged_pull_requests
    inner join reverts
        on
            merged_pull_requests.repository = reverts.repository
            and merged_pull_requests.merge_commit_sha = reverts.reverted_commit_sha
    union
    select pull_request_commits.pull_request_key
    from pull_request_commits
    inner join reverts
        on
            pull_request_commits.repository = reverts.repository
            and pull_request_commits.commit_sha = reverts.reverted_commit_sha

),

-- a deployment's outcome together with its environment copies' (another region's rollback or incident of
-- the same release), as the change failure rate judges it
release_outcomes as (

    select
        deployments.deployment_id,
        bool_or(copies.is_rolled_back) as is_rolled_back,
        bool_or(copies.has_attributed_incident) as has_attributed_incident
    from deployments
    inner join deployments as copies
        on deployments.counted_deployment_id = copies.counted_deployment_id
    group by deployments.deployment_id

),

-- one row per merged pull request, a column per measure (null: the pull request is no unit of it)
pull_request_values as (

    select
        merged_pull_requests.pull_request_key,
        merged_pull_requests.team_key,
        merged_pull_requests.pr_group,
        merged_pull_requests.merged_week,
        cast(pull_request_lines.lines_changed as double) as lines_changed,
        cast(merged_pull_requests.commit_count as double) as commits,
        pull_request_cycle.coding_hours,
        pull_request_cycle.pickup_hours,
        pull_request_cycle.review_hours,
        pull_request_cycle.merge_hours,
        pull_request_cycle.deploy_wait_hours,
        cast(review_rounds.review_rounds as double) as review_rounds,
        -- the first production deployment that shipped the pull request, or one of its environment copies:
        -- rolled back, or caused an incident
        case
            when merged_pull_requests.is_deployed then cast(release_outcomes.is_rolled_back as double)
        end as rollback_rate,
        case
            when merged_pull_requests.is_deployed
                then cast(reverted_pull_requests.pull_request_key is not null as double)
        end as revert_rate,
        case
            when merged_pull_requests.is_deployed then cast(release_outcomes.has_attributed_incident as double)
        end as incident_rate,
        case when production_bug_links.pull_request_key is not null then 1.0 else 0.0 end as production_bug_rate
    from merged_pull_requests
    left join pull_request_lines
        on merged_pull_requests.pull_request_key = pull_request_lines.pull_request_key
    left join pull_request_cycle
        on merged_pull_requests.pull_request_key = pull_request_cycle.pull_request_key
    left join review_rounds
        on merged_pull_requests.pull_request_key = review_rounds.pull_request_key
    left join release_outcomes
        on merged_pull_requests.deployment_id = release_outcomes.deployment_id
    left join reverted_pull_requests
        on merged_pull_requests.pull_request_key = reverted_pull_requests.pull_request_key
    left join production_bug_links
        on merged_pull_requests.pull_request_key = production_bug_links.pull_request_key

),

units as (

    {%- for measure, statistic in measures %}
        select
            pull_request_key,
            team_key,
            pr_group,
            merged_week,
            '{{ measure }}' as measure,
            {{ measure }} as unit_value
        from pull_request_values
        where {{ measure }} is not null
        {{ 'union all' if not loop.last }}
    {%- endfor %}

),

-- the before and after spans of rpt_ai_impact (ai_impact_observations), and the whole data
periods as (

    select
        team_key,
        'before' as period,
        cast(adoption_week - interval ({{ before_weeks }} * 7) day as date) as period_start,
        adoption_week as period_end
    from adoption
    where has_adopted
    union all
    select
        team_key,
        'after' as period,
        first_week_after_ramp as period_start,
        cast(first_week_after_ramp + interval ({{ after_weeks }} * 7) day as date) as period_end
    from adoption
    where has_adopted
    union all
    select
        team_key,
        'all' as period,
        cast(null as date) as period_start,
        cast(null as date) as period_end
    from adoption

),

numbered as (

    select
        periods.team_key,
        periods.period,
        units.measure,
        measure_list.statistic,
        units.pr_group,
        units.pull_request_key,
        units.unit_value,
        -- one number per team, period, measure and side: the bootstrap joins on it
        dense_rank() over (
            order by periods.team_key, periods.period, units.measure, units.pr_group
        ) as group_id,
        row_number() over (
            partition by periods.team_key, periods.period, units.measure, units.pr_group
            order by units.pull_request_key
        ) as unit_number
    from periods
    inner join units
        on
            periods.team_key = units.team_key
            and (
                periods.period = 'all'
                or (periods.period_start <= units.merged_week and periods.period_end > units.merged_week)
            )
    inner join measure_list
        on units.measure = measure_list.measure

),

-- one group per team, period, measure and side
group_values as (

    select
        team_key,
        period,
        measure,
        pr_group,
        any_value(group_id) as group_id,
        any_value(statistic) as statistic,
        count(*) as units,
        case
            when any_value(statistic) = 'median' then quantile_cont(unit_value, 0.5)
            else avg(unit_value)
        end as group_value
    from numbered
    group by team_key, period, measure, pr_group

),

sides as (

    select
        team_key,
        period,
        measure,
        max(group_value) filter (where pr_group = 'ai') as ai_value,
        max(group_value) filter (where pr_group = 'other') as other_value,
        coalesce(max(units) filter (where pr_group = 'ai'), 0) as ai_units,
        coalesce(max(units) filter (where pr_group = 'other'), 0) as other_units,
        count(*) = 2 and min(units) >= {{ min_units }} as has_enough_units
    from group_values
    group by team_key, period, measure

),

draws as (

    select
        group_values.group_id,
        group_values.team_key,
        group_values.period,
        group_values.measure,
        group_values.pr_group,
        group_values.units,
        replicate.replicate_number,
        unnest(range(1, group_values.units + 1)) as draw_number
    from group_values
    inner join sides
        on
            group_values.team_key = sides.team_key
            and group_values.period = sides.period
            and group_values.measure = sides.measure
    cross join range(1, {{ replicates }} + 1) as replicate (replicate_number)
    where sides.has_enough_units

),

picks as (

    select
        group_id,
        replicate_number,
        {{ bootstrap_unit_number(
            ['team_key', 'period', 'measure', 'pr_group', 'replicate_number', 'draw_number'], 'units'
        ) }} as unit_number
    from draws

),

replicate_values as (

    select
        picks.group_id,
        picks.replicate_number,
        case
            when any_value(numbered.statistic) = 'median' then quantile_cont(numbered.unit_value, 0.5)
            else avg(numbered.unit_value)
        end as replicate_value
    from picks
    inner join numbered
        on
            picks.group_id = numbered.group_id
            and picks.unit_number = numbered.unit_number
    group by picks.group_id, picks.replicate_number

),

replicate_differences as (

    select
        group_values.team_key,
        group_values.period,
        group_values.measure,
        replicate_values.replicate_number,
        max(replicate_values.replicate_value) filter (where group_values.pr_group = 'ai')
        / nullif(max(replicate_values.replicate_value) filter (where group_values.pr_group = 'other'), 0)
        - 1 as replicate_difference
    from replicate_values
    inner join group_values
        on replicate_values.group_id = group_values.group_id
    group by group_values.team_key, group_values.period, group_values.measure, replicate_values.replicate_number

),

intervals as (

    select
        team_key,
        period,
        measure,
        quantile_cont(replicate_difference, 0.025) as difference_ci_low,
        quantile_cont(replicate_difference, 0.975) as difference_ci_high
    from replicate_differences
    group by team_key, period, measure

),

-- every measure of every period of every team, compared or not
grid as (

    select
        periods.team_key,
        periods.period,
        periods.period_start,
        periods.period_end,
        measure_list.measure,
        measure_list.statistic,
        measure_list.measure_order
    from periods
    cross join measure_list

),

compared as (

    select
        grid.*,
        sides.ai_value,
        sides.other_value,
        coalesce(sides.ai_units, 0) as ai_units,
        coalesce(sides.other_units, 0) as other_units,
        case
            when not coalesce(sides.has_enough_units, false) then 'not enough data'
            when sides.other_value = 0 then 'other value is 0'
            else 'compared'
        end as comparison_status,
        intervals.difference_ci_low,
        intervals.difference_ci_high
    from grid
    left join sides
        on
            grid.team_key = sides.team_key
            and grid.period = sides.period
            and grid.measure = sides.measure
    left join intervals
        on
            grid.team_key = intervals.team_key
            and grid.period = intervals.period
            and grid.measure = intervals.measure

),

final as (

    select
        team_key || ':' || period || ':' || measure as pr_comparison_id,
        team_key,
        period,
        period_start,
        period_end,
        measure,
        statistic,
        measure_order,
        ai_value,
        other_value,
        cast(ai_units as integer) as ai_units,
        cast(other_units as integer) as other_units,
        case when comparison_status = 'compared' then ai_value / other_value - 1 end as difference,
        case when comparison_status = 'compared' then difference_ci_low end as difference_ci_low,
        case when comparison_status = 'compared' then difference_ci_high end as difference_ci_high,
        comparison_status
    from compared

)

select * from final
