{%- set conversions = [
    conversion('review_id', 'record_id', 'bigint', required=true),
    conversion('pull_request_number', 'parent_id', 'integer', required=true),
    conversion('submitted_at', "payload ->> '$.submitted_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__pull_request_reviews') }}

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
        payload ->> '$.user.login' as reviewer_login,
        upper(payload ->> '$.state') as review_state,
        payload ->> '$.commit_id' as commit_sha,
        payload ->> '$.author_association' as author_association,
        {{ invalid_values('github__pull_request_reviews', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
