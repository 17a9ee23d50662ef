{#-
    The aggregates a DORA report computes for each of its groups (rpt_dora_weekly: a team's week;
    rpt_dora_service_weekly: a service's week), written once so that the rules cannot drift apart.
    deployment_failure_aggregates reads fct_deployments' deployment attempts; lead_time_aggregates reads
    fct_changes with a lead time.
-#}
{% macro deployment_failure_aggregates() -%}
    count(*) as deployment_attempts,
    count(*) filter (where is_failed_attempt) as failed_attempts,
    count(*) filter (where is_in_change_failure_rate) as failure_rate_deployments,
    count(*) filter (where counts_as_change_failure) as failed_deployments,
    -- recovery of the counted deployment's own failure (a copy's failure fails it without a recovery)
    count(*) filter (
        where counts_as_change_failure and is_change_failure and recovery_hours is not null
    ) as failures_recovered,
    quantile_cont(recovery_hours, 0.5) filter (
        where counts_as_change_failure and is_change_failure and recovery_hours is not null
    ) as recovery_time_p50_hours
{%- endmacro %}

{% macro lead_time_aggregates() -%}
    count(lead_time_hours) as changes_deployed,
    quantile_cont(lead_time_hours, 0.5) as lead_time_p50_hours,
    quantile_cont(lead_time_hours, 0.85) as lead_time_p85_hours
{%- endmacro %}
