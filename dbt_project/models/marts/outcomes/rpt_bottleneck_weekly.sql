{#-
    Where the pull request cycle spends its time, per repository's team and week of deployed_at
    (METRICS.md, "Pull request cycle"): each stage's total hours over the changes deployed that week
    (a null stage counts 0), its share of the week's total, and the stage with the largest total
    (ties: the earlier stage). CI hours overlap the stages, so they sit beside them: ci_share is of the
    same total, and `ci` is the bottleneck only when it exceeds every stage. Dense on the rpt_dora_weekly
    team x week grid.
-#}
with

team_weeks as (

    select * from {{ ref('rpt_dora_weekly') }}

),

cycles as (

    select * from {{ ref('fct_pull_request_cycle') }}

),

weekly_stages as (

    select
        team_key,
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(*) as changes_deployed,
        -- summed as whole milliseconds: a float sum depends on the order DuckDB's threads add in
        sum(cast(round(coalesce(coding_hours, 0) * 3600000) as bigint)) / 3600000.0 as coding_hours,
        sum(cast(round(coalesce(pickup_hours, 0) * 3600000) as bigint)) / 3600000.0 as pickup_hours,
        sum(cast(round(coalesce(review_hours, 0) * 3600000) as bigint)) / 3600000.0 as review_hours,
        sum(cast(round(coalesce(rework_hours, 0) * 3600000) as bigint)) / 3600000.0 as rework_hours,
        sum(cast(round(coalesce(merge_hours, 0) * 3600000) as bigint)) / 3600000.0 as merge_hours,
        sum(cast(round(coalesce(deploy_wait_hours, 0) * 3600000) as bigint)) / 3600000.0 as deploy_wait_hours,
        sum(cast(round(coalesce(ci_hours, 0) * 3600000) as bigint)) / 3600000.0 as ci_hours
    from cycles
    where deployed_at is not null and team_key is not null
    group by all

),

dense as (

    select
        team_weeks.team_week_id,
        team_weeks.team_key,
        team_weeks.week_start,
        cast(coalesce(weekly_stages.changes_deployed, 0) as integer) as changes_deployed,
        coalesce(weekly_stages.coding_hours, 0.0) as coding_hours,
        coalesce(weekly_stages.pickup_hours, 0.0) as pickup_hours,
        coalesce(weekly_stages.review_hours, 0.0) as review_hours,
        coalesce(weekly_stages.rework_hours, 0.0) as rework_hours,
        coalesce(weekly_stages.merge_hours, 0.0) as merge_hours,
        coalesce(weekly_stages.deploy_wait_hours, 0.0) as deploy_wait_hours,
        coalesce(weekly_stages.ci_hours, 0.0) as ci_hours
    from team_weeks
    left join weekly_stages
        on
            team_weeks.team_key = weekly_stages.team_key
            and team_weeks.week_start = weekly_stages.week_start

),

totals as (

    select
        *,
        coding_hours + pickup_hours + review_hours + rework_hours + merge_hours + deploy_wait_hours
            as total_hours,
        greatest(coding_hours, pickup_hours, review_hours, rework_hours, merge_hours, deploy_wait_hours)
            as largest_hours
    from dense

),

final as (

    select
        team_week_id,
        team_key,
        week_start,
        changes_deployed,
        coding_hours,
        coding_hours / nullif(total_hours, 0) as coding_share,
        pickup_hours,
        pickup_hours / nullif(total_hours, 0) as pickup_share,
        review_hours,
        review_hours / nullif(total_hours, 0) as review_share,
        rework_hours,
        rework_hours / nullif(total_hours, 0) as rework_share,
        merge_hours,
        merge_hours / nullif(total_hours, 0) as merge_share,
        deploy_wait_hours,
        deploy_wait_hours / nullif(total_hours, 0) as deploy_wait_share,
        ci_hours,
        ci_hours / nullif(total_hours, 0) as ci_share,
        -- first match wins, so a tie goes to the earlier stage, and a tie with CI to the stage
        case
            when changes_deployed = 0 then null
            when ci_hours > largest_hours then 'ci'
            when largest_hours = coding_hours then 'coding'
            when largest_hours = pickup_hours then 'pickup'
            when largest_hours = review_hours then 'review'
            when largest_hours = rework_hours then 'rework'
            when largest_hours = merge_hours then 'merge'
            else 'deploy_wait'
        end as bottleneck_stage
    from totals

)

select * from final
