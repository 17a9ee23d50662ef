{%- set conversions = [
    conversion('pull_request_number', 'parent_id', 'integer', required=true),
    conversion('commit_sha', "payload ->> '$.sha'", 'text', required=true),
    conversion('authored_at', "payload ->> '$.commit.author.date'", 'timestamp'),
    conversion('committed_at', "payload ->> '$.commit.committer.date'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__pull_request_commits') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        record_id as pull_request_commit_id,
        {{ converted_columns(conversions) }},
        cast(json_extract_string(payload, '$.parents[*].sha') as varchar[]) as parent_shas,
        payload ->> '$.commit.author.name' as author_name,
        payload ->> '$.commit.author.email' as author_email,
        payload ->> '$.author.login' as author_login,
        payload ->> '$.commit.committer.email' as committer_email,
        payload ->> '$.commit.message' as message,
        {{ invalid_values('github__pull_request_commits', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
