with

source as (

    select * from {{ source('github', 'github__repositories') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as organization,
        cast(payload ->> '$.id' as bigint) as repository_id,
        payload ->> '$.full_name' as repository,
        payload ->> '$.owner.login' as owner_login,
        payload ->> '$.name' as repository_name,
        payload ->> '$.default_branch' as default_branch,
        coalesce(cast(payload ->> '$.private' as boolean), false) as is_private,
        coalesce(cast(payload ->> '$.archived' as boolean), false) as is_archived,
        coalesce(cast(payload ->> '$.fork' as boolean), false) as is_fork,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.pushed_at'") }} as pushed_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
