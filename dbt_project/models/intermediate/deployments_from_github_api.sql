{#-
    Deployments from GitHub's Deployments API (METRICS.md "Deployments"), for the repositories whose
    rule says `via: github_deployments` (the default): deployed at the first `success` status.
-#}
with

github_deployments as (

    select * from {{ ref('stg_github__deployments') }}

),

github_deployment_statuses as (

    select * from {{ ref('stg_github__deployment_statuses') }}

),

deployment_sources as (

    select * from {{ ref('deployment_sources') }}

),

latest as (

    select *
    from github_deployments
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, deployment_id
            order by extracted_at desc, source_instance asc
        ) = 1

),

statuses as (

    select *
    from github_deployment_statuses
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, deployment_status_id
            order by extracted_at desc, source_instance asc
        ) = 1

),

status_summary as (

    select
        repository,
        deployment_id,
        min(created_at) filter (where status_state = 'success') as first_success_at,
        min(created_at) filter (
            where status_state in ('failure', 'error')
        ) as first_failure_at,
        arg_max(status_state, deployment_status_id) as latest_status_state,
        count(*) as status_count
    from statuses
    group by repository, deployment_id

),

final as (

    select
        latest.deployment_id,
        'github_deployments' as deployment_source,
        latest.deployment_id::varchar as source_deployment_id,
        latest.repository,
        deployment_sources.service_key,
        latest.environment,
        latest.commit_sha,
        latest.ref,
        latest.task,
        latest.creator_login,
        latest.created_at,
        status_summary.first_success_at as deployed_at,
        status_summary.first_failure_at as failed_at,
        status_summary.latest_status_state,
        coalesce(status_summary.status_count, 0) as status_count,
        status_summary.first_success_at is not null as is_successful
    from latest
    inner join deployment_sources
        on
            latest.repository = deployment_sources.repository
            and deployment_sources.via = 'github_deployments'
    left join status_summary
        on
            latest.repository = status_summary.repository
            and latest.deployment_id = status_summary.deployment_id
    -- the API cannot tell a repository's services apart: the first rule reading it takes its deployments
    qualify
        row_number() over (
            partition by latest.repository, latest.deployment_id
            order by deployment_sources.rule_index
        ) = 1

)

select * from final
