{#-
    Every raw value staging could not use, one row per (record, column): a value that did not convert
    (a time that is not a timestamp, an id that is not an integer, ...) or a required value that is
    missing. Each staging model declares its conversions once (macros/conversions.sql) and exposes the
    failures as its `invalid_values` list; this model unions those lists. Every staging model that
    declares conversions is listed here once (the data test assert_dq_invalid_values_covers_staging
    checks that none is missing). Only the latest version of a record counts (an upstream fix clears
    the row); deleted records are left out.
-#}
{%- set staging_models = [
    'stg_business__monthly_measures',
    'stg_events__deployments',
    'stg_events__incidents',
    'stg_git__commits',
    'stg_github__commits',
    'stg_github__copilot_metrics',
    'stg_github__copilot_seats',
    'stg_github__deployment_statuses',
    'stg_github__deployments',
    'stg_github__issues',
    'stg_github__pull_request_commits',
    'stg_github__pull_request_reviews',
    'stg_github__pull_requests',
    'stg_github__releases',
    'stg_github__repositories',
    'stg_github__tags',
    'stg_github__workflow_jobs',
    'stg_github__workflow_runs',
    'stg_jira__fields',
    'stg_jira__issue_changelogs',
    'stg_jira__issues',
    'stg_pagerduty__incidents',
    'stg_pagerduty__log_entries',
] -%}

with

{% for staging_model in staging_models -%}
    {{ staging_model }} as (

        select * from {{ ref(staging_model) }}

    ),

{% endfor -%}

invalid_values as (

    {% for staging_model in staging_models %}
        select
            source_instance,
            '{{ staging_model }}' as staging_model,
            extracted_at,
            -- one column per struct field: stream, scope, record_id, column_name, raw_value, reason, ...
            unnest(invalid_values, recursive := true)  -- noqa: AL03
        from {{ staging_model }}
        where not is_deleted and len(invalid_values) > 0
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    -- distinct: a Jira changelog history is one staging row per item, one invalid value per history
    select distinct
        source_instance,
        stream,
        scope,
        record_id,
        column_name,
        raw_value,
        reason,
        is_record_excluded,
        staging_model,
        extracted_at,
        source_instance || ':' || stream || ':' || scope || ':' || record_id || ':' || column_name
            as invalid_value_id
    from invalid_values

)

select * from final
