with

source as (

    select * from {{ source('github', 'github__deployment_statuses') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        cast(record_id as bigint) as deployment_status_id,
        cast(parent_id as bigint) as deployment_id,
        lower(payload ->> '$.state') as status_state,
        payload ->> '$.environment' as environment,
        payload ->> '$.description' as description,
        payload ->> '$.creator.login' as creator_login,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.updated_at'") }} as updated_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
