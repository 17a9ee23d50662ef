with

source as (

    select * from {{ source('github', 'github__releases') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        cast(record_id as bigint) as release_id,
        payload ->> '$.tag_name' as tag_name,
        payload ->> '$.name' as release_name,
        payload ->> '$.target_commitish' as target_commitish,
        payload ->> '$.author.login' as author_login,
        coalesce(cast(payload ->> '$.draft' as boolean), false) as is_draft,
        coalesce(cast(payload ->> '$.prerelease' as boolean), false) as is_prerelease,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.published_at'") }} as published_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
