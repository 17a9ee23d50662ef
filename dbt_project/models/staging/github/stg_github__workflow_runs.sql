with

source as (

    select * from {{ source('github', 'github__workflow_runs') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        cast(record_id as bigint) as workflow_run_id,
        cast(payload ->> '$.workflow_id' as bigint) as workflow_id,
        payload ->> '$.name' as workflow_name,
        payload ->> '$.event' as event,
        payload ->> '$.status' as status,
        payload ->> '$.conclusion' as conclusion,
        payload ->> '$.head_branch' as head_branch,
        payload ->> '$.head_sha' as head_sha,
        cast(payload ->> '$.run_number' as integer) as run_number,
        coalesce(cast(payload ->> '$.run_attempt' as integer), 1) as run_attempt,
        {{ to_utc("payload ->> '$.created_at'") }} as created_at,
        {{ to_utc("payload ->> '$.run_started_at'") }} as started_at,
        {{ to_utc("payload ->> '$.updated_at'") }} as updated_at,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
