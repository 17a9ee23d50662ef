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

{#- The report columns of deployment_failure_aggregates' `relation` (left-joined: counts default to 0). -#}
{% macro deployment_failure_columns(relation) -%}
    cast(coalesce({{ relation }}.deployment_attempts, 0) as integer) as deployment_attempts,
    cast(coalesce({{ relation }}.failed_attempts, 0) as integer) as failed_attempts,
    {{ relation }}.failed_attempts / nullif({{ relation }}.deployment_attempts, 0) as failed_deployment_attempt_rate,
    cast(coalesce({{ relation }}.failure_rate_deployments, 0) as integer) as failure_rate_deployments,
    cast(coalesce({{ relation }}.failed_deployments, 0) as integer) as failed_deployments,
    {{ relation }}.failed_deployments / nullif({{ relation }}.failure_rate_deployments, 0) as change_failure_rate,
    cast(coalesce({{ relation }}.failures_recovered, 0) as integer) as failures_recovered,
    {{ relation }}.recovery_time_p50_hours
{%- endmacro %}

{#- The four DORA bands (METRICS.md "DORA bands"); deployment frequency bands `deploy_days_column`. -#}
{% macro dora_band_columns(deploy_days_column) -%}
    {{ dora_band('deployment_frequency', deploy_days_column) }} as deployment_frequency_band,
    {{ dora_band('lead_time_hours', 'lead_time_p50_hours') }} as lead_time_band,
    {{ dora_band('change_failure_rate', 'change_failure_rate') }} as change_failure_rate_band,
    {{ dora_band('recovery_time_hours', 'recovery_time_p50_hours') }} as recovery_time_band
{%- endmacro %}
