with

source as (

    select * from {{ source('github', 'github__deployments') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        cast(record_id as bigint) as deployment_id,
        payload ->> '$.sha' as commit_sha,
        payload ->> '$.ref' as ref,
        payload ->> '$.task' as task,
        payload ->> '$.environment' as environment,
        payload ->> '$.original_environment' as original_environment,
        payload ->> '$.creator.login' as creator_login,
        cast(payload ->> '$.production_environment' as boolean) as is_production_environment,
        cast(payload ->> '$.transient_environment' as boolean) as is_transient_environment,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.updated_at'") }} as updated_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
