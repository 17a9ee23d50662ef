{#-
    Canonical CI jobs (GitHub Actions workflow jobs today): one row per job of every run attempt (a
    re-run attempt's jobs have their own ids, so the jobs of a flaky run's earlier attempts stay).
    Queue and run time are whole seconds, so sums over many jobs are exact.
-#}
with

github_workflow_jobs as (

    select * from {{ ref('stg_github__workflow_jobs') }}

),

-- one version per job across source instances, as ci_runs: a finished version wins over a running one
latest as (

    select *
    from github_workflow_jobs
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, workflow_job_id
            order by completed_at desc nulls last, extracted_at desc, source_instance asc
        ) = 1

),

final as (

    select
        'github_actions:' || workflow_job_id as ci_job_id,
        'github_actions:' || workflow_run_id as ci_run_id,
        'github_actions' as ci_provider,
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
        queue_seconds,
        run_seconds,
        run_attempt > 1 as is_rerun,
        -- a job whose needs failed is skipped: it never queued for a runner
        coalesce(conclusion = 'skipped', false) as is_skipped
    from latest

)

select * from final
