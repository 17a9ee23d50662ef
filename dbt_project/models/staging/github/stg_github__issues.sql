with

source as (

    select * from {{ source('github', 'github__issues') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        cast(record_id as bigint) as issue_id,
        cast(payload ->> '$.number' as integer) as issue_number,
        payload ->> '$.title' as title,
        payload ->> '$.state' as state,
        payload ->> '$.state_reason' as state_reason,
        payload ->> '$.user.login' as author_login,
        cast(json_extract_string(payload, '$.labels[*].name') as varchar[]) as label_names,
        coalesce(json_exists(payload, '$.pull_request'), false) as is_pull_request,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.updated_at'") }} as updated_at,
        {{ to_utc("payload ->> '$.closed_at'") }} as closed_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
