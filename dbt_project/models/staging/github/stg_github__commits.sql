{%- set conversions = [
    conversion('authored_at', "payload ->> '$.commit.author.date'", 'timestamp', required=true),
    conversion('committed_at', "payload ->> '$.commit.committer.date'", 'timestamp'),
    conversion('additions', "payload ->> '$.stats.additions'", 'integer'),
    conversion('deletions', "payload ->> '$.stats.deletions'", 'integer'),
] -%}

with

source as (

    select * from {{ source('github', 'github__commits') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        record_id as commit_sha,
        cast(json_extract_string(payload, '$.parents[*].sha') as varchar[]) as parent_shas,
        payload ->> '$.commit.author.name' as author_name,
        payload ->> '$.commit.author.email' as author_email,
        payload ->> '$.author.login' as author_login,
        payload ->> '$.commit.committer.name' as committer_name,
        payload ->> '$.commit.committer.email' as committer_email,
        payload ->> '$.committer.login' as committer_login,
        payload ->> '$.commit.message' as message,
        {{ converted_columns(conversions) }},
        {{ invalid_values('github__commits', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
