{#-
    Request to production per work item team and week of deployed_at (METRICS.md "Request to
    production"): items delivered and the continuous p50/p85 of each wait over them (nulls skipped).
    Dense on the rpt_dora_weekly team x week grid.
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
        cast(date_trunc('week', deployed_at) as date) as week_start,
        count(*) as items_delivered,
        quantile_cont(wait_to_start_hours, 0.5) as wait_to_start_p50_hours,
        quantile_cont(wait_to_start_hours, 0.85) as wait_to_start_p85_hours,
        quantile_cont(start_to_pr_hours, 0.5) as start_to_pr_p50_hours,
        quantile_cont(start_to_pr_hours, 0.85) as start_to_pr_p85_hours,
        quantile_cont(pr_to_merge_hours, 0.5) as pr_to_merge_p50_hours,
        quantile_cont(pr_to_merge_hours, 0.85) as pr_to_merge_p85_hours,
        quantile_cont(merge_to_deploy_hours, 0.5) as merge_to_deploy_p50_hours,
        quantile_cont(merge_to_deploy_hours, 0.85) as merge_to_deploy_p85_hours,
        quantile_cont(request_to_production_hours, 0.5) as request_to_production_p50_hours,
        quantile_cont(request_to_production_hours, 0.85) as request_to_production_p85_hours
    from work_items
    where is_delivered and team_key is not null
    group by all

),

final as (

    select
        team_weeks.team_week_id,
        team_weeks.team_key,
        team_weeks.week_start,
        cast(coalesce(weekly.items_delivered, 0) as integer) as items_delivered,
        weekly.wait_to_start_p50_hours,
        weekly.wait_to_start_p85_hours,
        weekly.start_to_pr_p50_hours,
        weekly.start_to_pr_p85_hours,
        weekly.pr_to_merge_p50_hours,
        weekly.pr_to_merge_p85_hours,
        weekly.merge_to_deploy_p50_hours,
        weekly.merge_to_deploy_p85_hours,
        weekly.request_to_production_p50_hours,
        weekly.request_to_production_p85_hours
    from team_weeks
    left join weekly
        on
            team_weeks.team_key = weekly.team_key
            and team_weeks.week_start = weekly.week_start

)

select * from final
