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
        cast(parent_id as integer) as pull_request_number,
        payload ->> '$.sha' as commit_sha,
        cast(json_extract_string(payload, '$.parents[*].sha') as varchar[]) as parent_shas,
        payload ->> '$.commit.author.name' as author_name,
        payload ->> '$.commit.author.email' as author_email,
        payload ->> '$.author.login' as author_login,
        {{ to_utc("payload ->> '$.commit.author.date'") }} as authored_at,
        payload ->> '$.commit.committer.email' as committer_email,
        {{ to_utc("payload ->> '$.commit.committer.date'") }} as committed_at,
        payload ->> '$.commit.message' as message,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
