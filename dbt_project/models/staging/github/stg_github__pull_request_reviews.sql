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
        cast(record_id as bigint) as review_id,
        cast(parent_id as integer) as pull_request_number,
        payload ->> '$.user.login' as reviewer_login,
        upper(payload ->> '$.state') as review_state,
        payload ->> '$.commit_id' as commit_sha,
        payload ->> '$.author_association' as author_association,
        {{ to_utc("payload ->> '$.submitted_at'") }} as submitted_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
