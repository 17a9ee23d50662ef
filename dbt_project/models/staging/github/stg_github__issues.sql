{%- set conversions = [
    conversion('issue_id', 'record_id', 'bigint'),
    conversion('issue_number', "payload ->> '$.number'", 'integer'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp'),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
    conversion('closed_at', "payload ->> '$.closed_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__issues') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        {{ converted_columns(conversions) }},
        payload ->> '$.title' as title,
        payload ->> '$.state' as state,
        payload ->> '$.state_reason' as state_reason,
        payload ->> '$.user.login' as author_login,
        cast(json_extract_string(payload, '$.labels[*].name') as varchar[]) as label_names,
        coalesce(json_exists(payload, '$.pull_request'), false) as is_pull_request,
        {{ invalid_values('github__issues', conversions) }} as invalid_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
