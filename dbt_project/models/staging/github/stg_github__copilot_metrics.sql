{#-
    GitHub Copilot usage of an organisation per UTC day (GET /orgs/{org}/copilot/metrics): users active and
    engaged, overall and per feature. GitHub reports a day only when the org had five or more seats that day.
    The per-editor/model/language breakdown of code completions stays as JSON for ad-hoc use.
-#}
{%- set conversions = [
    conversion('metric_date', "payload ->> '$.date'", 'date', required=true),
    conversion('total_active_users', "payload ->> '$.total_active_users'", 'integer'),
    conversion('total_engaged_users', "payload ->> '$.total_engaged_users'", 'integer'),
    conversion(
        'code_completion_engaged_users',
        "payload ->> '$.copilot_ide_code_completions.total_engaged_users'",
        'integer'
    ),
    conversion('ide_chat_engaged_users', "payload ->> '$.copilot_ide_chat.total_engaged_users'", 'integer'),
    conversion('dotcom_chat_engaged_users', "payload ->> '$.copilot_dotcom_chat.total_engaged_users'", 'integer'),
    conversion(
        'pull_request_engaged_users',
        "payload ->> '$.copilot_dotcom_pull_requests.total_engaged_users'",
        'integer'
    ),
] -%}

with

source as (

    select * from {{ source('github', 'github__copilot_metrics') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as organization,
        {{ converted_columns(conversions) }},
        payload -> '$.copilot_ide_code_completions' as code_completions,
        {{ invalid_values('github__copilot_metrics', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
