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

-- one version per run and per job already (ci_runs / ci_jobs dedupe them across source instances)
ci_runs as (

    select * from {{ ref('ci_runs') }}

),

ci_jobs as (

    select * from {{ ref('ci_jobs') }}

),

deployment_sources as (

    select * from {{ ref('deployment_sources') }}

),

deploying_runs as (

    select
        ci_runs.*,
        deployment_sources.rule_index,
        deployment_sources.service_key,
        deployment_sources.environment,
        deployment_sources.job_pattern
    from ci_runs
    inner join deployment_sources
        on
            ci_runs.repository = deployment_sources.repository
            and deployment_sources.via = 'github_actions'
    where
        -- the rule's workflow and the deployment ids are GitHub's
        ci_runs.ci_provider = 'github_actions'
        and (
            lower(ci_runs.workflow_path) glob deployment_sources.workflow_pattern
            or lower(regexp_extract(ci_runs.workflow_path, '[^/]*$')) glob deployment_sources.workflow_pattern
            or lower(ci_runs.workflow_name) glob deployment_sources.workflow_pattern
        )
        and (deployment_sources.branch is null or ci_runs.head_branch = deployment_sources.branch)
        and (deployment_sources.events is null or list_contains(deployment_sources.events, ci_runs.event))

),

-- a rerun replaces: the latest attempt is the run's own run_attempt or a later one its jobs already show
jobs_of_latest_attempt as (

    select
        ci_jobs.workflow_job_id,
        ci_jobs.job_name,
        ci_jobs.status,
        ci_jobs.conclusion,
        ci_jobs.created_at,
        ci_jobs.completed_at,
        deploying_runs.repository,
        deploying_runs.rule_index,
        deploying_runs.service_key,
        deploying_runs.environment,
        deploying_runs.job_pattern,
        deploying_runs.head_sha,
        deploying_runs.head_branch,
        deploying_runs.workflow_name,
        deploying_runs.actor_login
    from ci_jobs
    inner join deploying_runs
        on
            ci_jobs.repository = deploying_runs.repository
            and ci_jobs.ci_run_id = deploying_runs.ci_run_id
    where deploying_runs.job_pattern is not null
    qualify
        ci_jobs.run_attempt = greatest(
            deploying_runs.run_attempt,
            max(ci_jobs.run_attempt) over (partition by ci_jobs.repository, ci_jobs.ci_run_id)
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
        completed_at
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
