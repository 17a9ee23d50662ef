with

github_workflow_runs as (

    select * from {{ ref('stg_github__workflow_runs') }}

),

latest as (

    select *
    from github_workflow_runs
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, workflow_run_id
            order by updated_at desc nulls last, extracted_at desc, source_instance asc
        ) = 1

),

final as (

    select
        'github_actions:' || workflow_run_id as ci_run_id,
        'github_actions' as ci_provider,
        repository,
        workflow_run_id,
        workflow_id,
        workflow_name,
        workflow_path,
        event,
        status,
        conclusion,
        head_branch,
        head_sha,
        actor_login,
        run_number,
        run_attempt,
        created_at,
        coalesce(started_at, created_at) as started_at,
        case when status = 'completed' then updated_at end as completed_at,
        case
            when status = 'completed'
                then {{ hours_between('coalesce(started_at, created_at)', 'updated_at') }}
        end as duration_hours,
        status = 'completed' as is_completed,
        coalesce(conclusion = 'success', false) as is_successful
    from latest

)

select * from final
