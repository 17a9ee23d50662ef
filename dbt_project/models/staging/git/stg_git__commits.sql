{%- set conversions = [
    conversion('authored_at', "payload ->> '$.author.date'", 'timestamp', required=true),
    conversion('committed_at', "payload ->> '$.committer.date'", 'timestamp'),
    conversion('additions', "payload ->> '$.additions'", 'integer', default='0'),
    conversion('deletions', "payload ->> '$.deletions'", 'integer', default='0'),
] -%}

with

source as (

    select * from {{ source('git', 'git__commits') }}

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
        cast(json_extract_string(payload, '$.parents[*]') as varchar[]) as parent_shas,
        payload ->> '$.author.name' as author_name,
        payload ->> '$.author.email' as author_email,
        payload ->> '$.committer.name' as committer_name,
        payload ->> '$.committer.email' as committer_email,
        payload ->> '$.message' as message,
        payload -> '$.trailers' as trailers,
        cast(json_extract_string(payload, '$.trailers[*].key') as varchar[]) as trailer_keys,
        cast(json_extract_string(payload, '$.trailers[*].value') as varchar[]) as trailer_values,
        coalesce(json_array_length(payload, '$.files'), 0) as files_changed,
        cast(json_extract_string(payload, '$.files[*].path') as varchar[]) as file_paths,
        {{ converted_columns(conversions) }},
        {{ invalid_values('git__commits', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
