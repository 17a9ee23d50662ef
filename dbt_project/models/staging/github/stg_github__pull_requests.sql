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
        cast(record_id as bigint) as pull_request_id,
        cast(payload ->> '$.number' as integer) as pull_request_number,
        payload ->> '$.title' as title,
        payload ->> '$.state' as state,
        coalesce(cast(payload ->> '$.draft' as boolean), false) as is_draft,
        payload ->> '$.user.login' as author_login,
        payload ->> '$.author_association' as author_association,
        payload ->> '$.head.ref' as head_ref,
        payload ->> '$.head.sha' as head_sha,
        payload ->> '$.base.ref' as base_ref,
        payload ->> '$.base.sha' as base_sha,
        payload ->> '$.merge_commit_sha' as merge_commit_sha,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.updated_at'") }} as updated_at,
        {{ to_utc("payload ->> '$.closed_at'") }} as closed_at,
        {{ to_utc("payload ->> '$.merged_at'") }} as merged_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
