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
        {{ to_utc("payload ->> '$.author.date'") }} as authored_at,
        payload ->> '$.committer.name' as committer_name,
        payload ->> '$.committer.email' as committer_email,
        {{ to_utc("payload ->> '$.committer.date'") }} as committed_at,
        payload ->> '$.message' as message,
        payload -> '$.trailers' as trailers,
        cast(json_extract_string(payload, '$.trailers[*].key') as varchar[]) as trailer_keys,
        cast(json_extract_string(payload, '$.trailers[*].value') as varchar[]) as trailer_values,
        coalesce(json_array_length(payload, '$.files'), 0) as files_changed,
        coalesce(cast(payload ->> '$.additions' as integer), 0) as additions,
        coalesce(cast(payload ->> '$.deletions' as integer), 0) as deletions,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
