{#-
    Deployments found in GitHub Actions (METRICS.md "Deployments"): for a repository whose rule says
    `via: github_actions`, every run of a matching workflow (file path, file name or name glob; branch and
    triggering event when the rule names them) deploys to the rule's environment. A run that concluded
    `success` deployed when it completed; one that concluded failure, timed_out or startup_failure is a
    failed attempt; a cancelled or unfinished run is neither.
-#}
with

workflow_runs as (

    select * from {{ ref('stg_github__workflow_runs') }}

),

deployment_sources as (

    select * from {{ ref('deployment_sources') }}

),

latest as (

    select *
    from workflow_runs
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, workflow_run_id
            order by extracted_at desc, source_instance asc
        ) = 1

),

deploying_runs as (

    select
        latest.*,
        deployment_sources.service_key,
        deployment_sources.environment
    from latest
    inner join deployment_sources
        on
            latest.repository = deployment_sources.repository
            and deployment_sources.via = 'github_actions'
    where
        (
            lower(latest.workflow_path) glob deployment_sources.workflow_pattern
            or lower(regexp_extract(latest.workflow_path, '[^/]*$')) glob deployment_sources.workflow_pattern
            or lower(latest.workflow_name) glob deployment_sources.workflow_pattern
        )
        and (deployment_sources.branch is null or latest.head_branch = deployment_sources.branch)
        and (deployment_sources.events is null or list_contains(deployment_sources.events, latest.event))
    -- a run two services' rules both match deploys the first rule's
    qualify
        row_number() over (
            partition by latest.repository, latest.workflow_run_id
            order by deployment_sources.rule_index
        ) = 1

),

final as (

    select
        workflow_run_id as deployment_id,
        'github_actions' as deployment_source,
        workflow_run_id::varchar as source_deployment_id,
        repository,
        service_key,
        environment,
        head_sha as commit_sha,
        head_branch as ref,
        workflow_name as task,
        actor_login as creator_login,
        created_at,
        -- a completed run's updated_at is when it completed
        case when status = 'completed' and conclusion = 'success' then updated_at end as deployed_at,
        case
            when status = 'completed' and conclusion in ('failure', 'timed_out', 'startup_failure')
                then updated_at
        end as failed_at,
        coalesce(conclusion, status) as latest_status_state,
        null::integer as status_count,
        coalesce(status = 'completed' and conclusion = 'success', false) as is_successful
    from deploying_runs

)

select * from final
