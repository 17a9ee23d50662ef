{%- set conversions = [
    conversion('workflow_job_id', 'record_id', 'bigint', required=true),
    conversion('workflow_run_id', "coalesce(payload ->> '$.run_id', parent_id)", 'bigint', required=true),
    conversion('run_attempt', "payload ->> '$.run_attempt'", 'integer', default='1'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp'),
    conversion('started_at', "payload ->> '$.started_at'", 'timestamp'),
    conversion('completed_at', "payload ->> '$.completed_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__workflow_jobs') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

converted as (

    select
        source_instance,
        scope as repository,
        {{ converted_columns(conversions) }},
        payload ->> '$.name' as job_name,
        payload ->> '$.workflow_name' as workflow_name,
        payload ->> '$.head_sha' as head_sha,
        payload ->> '$.head_branch' as head_branch,
        payload ->> '$.status' as status,
        payload ->> '$.conclusion' as conclusion,
        -- steps keep GitHub's order; their times arrive with any offset, so they become UTC like the job's
        list_transform(
            try_cast(payload -> '$.steps' as json[]),
            step -> {
                'step_number': try_cast(step ->> '$.number' as integer),
                'step_name': step ->> '$.name',
                'status': step ->> '$.status',
                'conclusion': step ->> '$.conclusion',
                'started_at': {{ to_utc("step ->> '$.started_at'") }},
                'completed_at': {{ to_utc("step ->> '$.completed_at'") }}
            }
        ) as steps,
        payload ->> '$.runner_name' as runner_name,
        cast(json_extract_string(payload, '$.labels[*]') as varchar[]) as labels,
        {{ invalid_values('github__workflow_jobs', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

),

final as (

    select
        source_instance,
        repository,
        workflow_job_id,
        workflow_run_id,
        run_attempt,
        job_name,
        workflow_name,
        head_sha,
        head_branch,
        status,
        conclusion,
        created_at,
        started_at,
        completed_at,
        -- null until both ends are known (an older payload without created_at, a job still queued or running)
        date_diff('second', created_at, started_at) as queue_seconds,
        date_diff('second', started_at, completed_at) as run_seconds,
        steps,
        runner_name,
        labels,
        invalid_values,
        has_required_values,
        is_deleted,
        extracted_at
    from converted

)

select * from final
