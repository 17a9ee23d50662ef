{#-
    Deployments found in GitHub Actions (METRICS.md "Deployments"): for a repository whose rule says
    `via: github_actions`, every run of a matching workflow (file path, file name or name glob; branch and
    triggering event when the rule names them) deploys to the rule's environment. A run that concluded
    `success` deployed when it completed; one that concluded failure, timed_out or startup_failure is a
    failed attempt; a cancelled or unfinished run is neither.
    With the rule's `job` glob, the deployment is each job of such a run whose name matches, in the run's
    latest attempt, judged by the job's own conclusion and completed_at (a failed test job deployed nothing).
-#}
with

workflow_runs as (

    select * from {{ ref('stg_github__workflow_runs') }}

),

workflow_jobs as (

    select * from {{ ref('stg_github__workflow_jobs') }}

),

deployment_sources as (

    select * from {{ ref('deployment_sources') }}

),

-- one version per run across source instances, as ci_runs: a finished version wins over a running one
latest as (

    select *
    from workflow_runs
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, workflow_run_id
            order by updated_at desc nulls last, extracted_at desc, source_instance asc
        ) = 1

),

-- one version per job across source instances, as ci_jobs
latest_jobs as (

    select *
    from workflow_jobs
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, workflow_job_id
            order by completed_at desc nulls last, extracted_at desc, source_instance asc
        ) = 1

),

deploying_runs as (

    select
        latest.*,
        deployment_sources.rule_index,
        deployment_sources.service_key,
        deployment_sources.environment,
        deployment_sources.job_pattern
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

),

-- a rerun replaces: the latest attempt is the run's own run_attempt or a later one its jobs already show
jobs_of_latest_attempt as (

    select
        latest_jobs.workflow_job_id,
        latest_jobs.job_name,
        latest_jobs.status,
        latest_jobs.conclusion,
        latest_jobs.created_at,
        latest_jobs.completed_at,
        deploying_runs.repository,
        deploying_runs.rule_index,
        deploying_runs.service_key,
        deploying_runs.environment,
        deploying_runs.job_pattern,
        deploying_runs.head_sha,
        deploying_runs.head_branch,
        deploying_runs.workflow_name,
        deploying_runs.actor_login
    from latest_jobs
    inner join deploying_runs
        on
            latest_jobs.repository = deploying_runs.repository
            and latest_jobs.workflow_run_id = deploying_runs.workflow_run_id
    where deploying_runs.job_pattern is not null
    qualify
        latest_jobs.run_attempt = greatest(
            deploying_runs.run_attempt,
            max(latest_jobs.run_attempt) over (partition by latest_jobs.repository, latest_jobs.workflow_run_id)
        )

),

-- what deploys, in one shape: the run (no job glob) or each matching job of its latest attempt
attempts as (

    select
        workflow_run_id as deployment_id,
        rule_index,
        repository,
        service_key,
        environment,
        head_sha,
        head_branch,
        workflow_name as task,
        actor_login,
        created_at,
        status,
        conclusion,
        -- a completed run's updated_at is when it completed
        updated_at as completed_at
    from deploying_runs
    where job_pattern is null

    union all

    select
        -- the job's own id (a collision with another deployment's fails the uniqueness test on deployments)
        workflow_job_id as deployment_id,
        rule_index,
        repository,
        service_key,
        environment,
        head_sha,
        head_branch,
        concat_ws(' / ', workflow_name, job_name) as task,
        actor_login,
        created_at,
        status,
        conclusion,
        completed_at
    from jobs_of_latest_attempt
    where lower(job_name) glob job_pattern

),

final as (

    select
        deployment_id,
        'github_actions' as deployment_source,
        deployment_id::varchar as source_deployment_id,
        repository,
        service_key,
        environment,
        head_sha as commit_sha,
        head_branch as ref,
        task,
        actor_login as creator_login,
        created_at,
        case when status = 'completed' and conclusion = 'success' then completed_at end as deployed_at,
        -- startup_failure is a run's only (a job never has it); cancelled and skipped are neither
        case
            when status = 'completed' and conclusion in ('failure', 'timed_out', 'startup_failure')
                then completed_at
        end as failed_at,
        coalesce(conclusion, status) as latest_status_state,
        null::integer as status_count,
        coalesce(status = 'completed' and conclusion = 'success', false) as is_successful
    from attempts
    -- a run or job two rules match (two services' globs) deploys the first rule's
    qualify row_number() over (partition by deployment_id order by rule_index) = 1

)

select * from final
