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
        {{ to_utc("payload ->> '$.commit.author.date'") }} as authored_at,
        payload ->> '$.commit.committer.name' as committer_name,
        payload ->> '$.commit.committer.email' as committer_email,
        payload ->> '$.committer.login' as committer_login,
        {{ to_utc("payload ->> '$.commit.committer.date'") }} as committed_at,
        payload ->> '$.commit.message' as message,
        cast(payload ->> '$.stats.additions' as integer) as additions,
        cast(payload ->> '$.stats.deletions' as integer) as deletions,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
