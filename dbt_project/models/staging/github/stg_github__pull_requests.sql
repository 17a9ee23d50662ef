{%- set conversions = [
    conversion('pull_request_id', 'record_id', 'bigint'),
    conversion('pull_request_number', "payload ->> '$.number'", 'integer', required=true),
    conversion('is_draft', "payload ->> '$.draft'", 'boolean', default='false'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
    conversion('closed_at', "payload ->> '$.closed_at'", 'timestamp'),
    conversion('merged_at', "payload ->> '$.merged_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__pull_requests') }}

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
        payload ->> '$.body' as body,
        payload ->> '$.state' as state,
        payload ->> '$.user.login' as author_login,
        payload ->> '$.author_association' as author_association,
        payload ->> '$.head.ref' as head_ref,
        payload ->> '$.head.sha' as head_sha,
        payload ->> '$.base.ref' as base_ref,
        payload ->> '$.base.sha' as base_sha,
        payload ->> '$.merge_commit_sha' as merge_commit_sha,
        cast(json_extract_string(payload, '$.labels[*].name') as varchar[]) as labels,
        cast(json_extract_string(payload, '$.assignees[*].login') as varchar[]) as assignee_logins,
        {{ invalid_values('github__pull_requests', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
