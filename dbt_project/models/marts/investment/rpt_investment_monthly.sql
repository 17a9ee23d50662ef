{#-
    What the org spends on AI tools and delivery infrastructure, what it earns and how customers rate it,
    beside the delivery outcomes of the same month (METRICS.md "Investment"): one row per team and UTC
    calendar month, and one org rollup row per month (team_key `*`), for every month from the first to
    the last with a business measure or a deployment attempt. Every number has its sample size beside
    it; a number that cannot be given is null and `missing_reason` says why, never a zero.
-#}
{%- set additive_measures = ['ai_tool_spend', 'infrastructure_spend', 'revenue', 'headcount'] -%}
{%- set survey_measures = ['csat', 'nps'] -%}
{%- set org = "'*'" -%}

with

teams as (

    select * from {{ ref('teams') }}

),

business_measures as (

    select * from {{ ref('business_measures') }}

),

deployments as (

    select * from {{ ref('fct_deployments') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

work_items as (

    select * from {{ ref('fct_work_items') }}

),

measure_names as (

    select
        measure_list.measure,
        measure_list.measure_order,
        measure_list.is_survey
    from (
        values
        {%- for measure in additive_measures + survey_measures %}
            ('{{ measure }}', {{ loop.index }}, {{ measure in survey_measures }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as measure_list (measure, measure_order, is_survey)

),

team_count as (

    select count(*) as teams from teams

),

-- rows of configured teams and the org's unallocated rows; a team no longer configured is left out
measures as (

    select business_measures.*
    from business_measures
    left join teams
        on business_measures.team_key = teams.team_key
    where teams.team_key is not null or business_measures.team_key = {{ org }}

),

-- delivery per team and month, and per month for the org (grouping set without team_key)
monthly_deployments as (

    select
        coalesce(team_key, {{ org }}) as team_key,
        cast(date_trunc('month', deployed_at) as date) as month_start,
        count(*) as deployments
    from deployments
    where is_counted_deployment and team_key is not null
    group by grouping sets ((team_key, month_start), (month_start))

),

monthly_attempts as (

    select
        coalesce(team_key, {{ org }}) as team_key,
        cast(date_trunc('month', attempted_at) as date) as month_start,
        count(*) as deployment_attempts,
        count(*) filter (where is_in_change_failure_rate) as failure_rate_deployments,
        count(*) filter (where counts_as_change_failure) as failed_deployments
    from deployments
    where is_deployment_attempt and team_key is not null
    group by grouping sets ((team_key, month_start), (month_start))

),

monthly_lead_times as (

    select
        coalesce(team_key, {{ org }}) as team_key,
        cast(date_trunc('month', deployed_at) as date) as month_start,
        count(*) as changes_deployed,
        quantile_cont(lead_time_hours, 0.5) as lead_time_p50_hours
    from changes
    where deployed_at is not null and lead_time_hours is not null and team_key is not null
    group by grouping sets ((team_key, month_start), (month_start))

),

monthly_requests as (

    select
        coalesce(team_key, {{ org }}) as team_key,
        cast(date_trunc('month', deployed_at) as date) as month_start,
        count(*) as customer_requests_delivered
    from work_items
    where canonical_type = 'customer_request' and is_delivered and team_key is not null
    group by grouping sets ((team_key, month_start), (month_start))

),

active_months as (

    select month_start from measures
    union all
    select month_start from monthly_attempts

),

months as (

    select cast(unnest(generate_series(min(month_start), max(month_start), interval 1 month)) as date) as month_start
    from active_months
    having count(*) > 0

),

spine as (

    select
        teams.team_key,
        months.month_start
    from teams
    cross join months
    union all
    select
        {{ org }} as team_key,
        month_start
    from months

),

team_cells as (

    select
        team_key,
        month_start,
        measure,
        measure_value,
        cast(case when measure_value is not null then coalesce(responses, 1) else 0 end as integer) as sample_size,
        case when is_conflicting then 'reported by several business sources (' || reported_by || ')' end as reason
    from measures
    where team_key != {{ org }}

),

-- the org: every team's rows and the unallocated row; a sum needs every team or none of them
org_cells as (

    select
        {{ org }} as team_key,
        measures.month_start,
        measures.measure,
        count(*) filter (where measures.team_key != {{ org }}) as teams_reporting,
        bool_or(measures.is_conflicting) as is_conflicting,
        any_value(team_count.teams) as teams,
        case
            when any_value(measure_names.is_survey)
                then sum(measures.measure_value * measures.responses) / sum(measures.responses)
            else sum(measures.measure_value)
        end as total_value,
        cast(coalesce(sum(measures.responses), count(*)) as integer) as total_sample
    from measures
    inner join measure_names
        on measures.measure = measure_names.measure
    cross join team_count
    group by measures.month_start, measures.measure

),

org_measure_cells as (

    select
        team_key,
        month_start,
        measure,
        case when not is_conflicting and teams_reporting in (0, teams) then total_value end as measure_value,
        case when not is_conflicting and teams_reporting in (0, teams) then total_sample else 0 end as sample_size,
        case
            when is_conflicting then 'reported by several business sources'
            when teams_reporting not in (0, teams)
                then 'reported for ' || teams_reporting || ' of ' || teams || ' teams'
        end as reason
    from org_cells

),

cells as (

    select * from team_cells
    union all
    select * from org_measure_cells

),

measure_grid as (

    select
        spine.team_key,
        spine.month_start,
        measure_names.measure,
        measure_names.measure_order,
        cells.measure_value,
        coalesce(cells.sample_size, 0) as sample_size,
        case when cells.measure is null then 'not reported' else cells.reason end as reason
    from spine
    cross join measure_names
    left join cells
        on
            spine.team_key = cells.team_key
            and spine.month_start = cells.month_start
            and measure_names.measure = cells.measure

),

pivoted as (

    select
        team_key,
        month_start,
        {%- for measure in additive_measures %}
            max(measure_value) filter (where measure = '{{ measure }}') as {{ measure }},
            max(sample_size) filter (where measure = '{{ measure }}') as {{ measure }}_rows,
        {%- endfor %}
        {%- for measure in survey_measures %}
            max(measure_value) filter (where measure = '{{ measure }}') as {{ measure }},
            max(sample_size) filter (where measure = '{{ measure }}') as {{ measure }}_responses,
        {%- endfor %}
        string_agg(measure || ': ' || reason, '; ' order by measure_order) as measure_reasons
    from measure_grid
    group by team_key, month_start

),

report as (

    select
        pivoted.*,
        pivoted.team_key = {{ org }} as is_org_rollup,
        cast(coalesce(monthly_deployments.deployments, 0) as integer) as deployments,
        cast(coalesce(monthly_lead_times.changes_deployed, 0) as integer) as changes_deployed,
        monthly_lead_times.lead_time_p50_hours,
        cast(coalesce(monthly_attempts.deployment_attempts, 0) as integer) as deployment_attempts,
        cast(coalesce(monthly_attempts.failed_deployments, 0) as integer) as failed_deployments,
        cast(coalesce(monthly_attempts.failure_rate_deployments, 0) as integer) as failure_rate_deployments,
        monthly_attempts.failed_deployments / nullif(monthly_attempts.failure_rate_deployments, 0)
            as change_failure_rate,
        cast(coalesce(monthly_requests.customer_requests_delivered, 0) as integer) as customer_requests_delivered,
        pivoted.ai_tool_spend + pivoted.infrastructure_spend as delivery_spend
    from pivoted
    left join monthly_deployments
        on pivoted.team_key = monthly_deployments.team_key and pivoted.month_start = monthly_deployments.month_start
    left join monthly_attempts
        on pivoted.team_key = monthly_attempts.team_key and pivoted.month_start = monthly_attempts.month_start
    left join monthly_lead_times
        on pivoted.team_key = monthly_lead_times.team_key and pivoted.month_start = monthly_lead_times.month_start
    left join monthly_requests
        on pivoted.team_key = monthly_requests.team_key and pivoted.month_start = monthly_requests.month_start

),

final as (

    select
        team_key || ':' || strftime(month_start, '%Y-%m') as team_month_id,
        team_key,
        month_start,
        is_org_rollup,
        ai_tool_spend,
        ai_tool_spend_rows,
        infrastructure_spend,
        infrastructure_spend_rows,
        delivery_spend,
        infrastructure_spend / nullif(ai_tool_spend, 0) as infrastructure_to_ai_spend_ratio,
        cast({{ var('infrastructure_to_ai_spend_target') }} as double) as infrastructure_to_ai_spend_target,
        infrastructure_spend / nullif(ai_tool_spend, 0) < {{ var('infrastructure_to_ai_spend_target') }}
            as is_below_infrastructure_ratio_target,
        revenue,
        revenue_rows,
        headcount,
        headcount_rows,
        revenue / nullif(headcount, 0) as revenue_per_engineer,
        csat,
        csat_responses,
        nps,
        nps_responses,
        deployments,
        changes_deployed,
        lead_time_p50_hours,
        deployment_attempts,
        failed_deployments,
        change_failure_rate,
        customer_requests_delivered,
        delivery_spend / nullif(deployments, 0) as spend_per_deployment,
        delivery_spend / nullif(customer_requests_delivered, 0) as spend_per_delivered_request,
        nullif(concat_ws(
            '; ',
            measure_reasons,
            case
                when infrastructure_spend is not null and ai_tool_spend = 0
                    then 'infrastructure_to_ai_spend_ratio: no AI tool spend'
            end,
            case when revenue is not null and headcount = 0 then 'revenue_per_engineer: headcount is 0' end,
            case when changes_deployed = 0 then 'lead_time_p50_hours: no changes deployed' end,
            case when failure_rate_deployments = 0 then 'change_failure_rate: no production deployments' end,
            case
                when delivery_spend is not null and deployments = 0
                    then 'spend_per_deployment: no production deployments'
            end,
            case
                when delivery_spend is not null and customer_requests_delivered = 0
                    then 'spend_per_delivered_request: no customer requests delivered'
            end
        ), '') as missing_reason
    from report

)

select * from final
