{#-
    One row per change (merged pull request), with the first successful production deployment that
    shipped its merge commit (commit_first_deployments) and its lead time (METRICS.md "Changes and lead
    time"). When that deployment is not measurable, the change reached production but when is unknown:
    is_deployed, no deployment, no lead time.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

commit_first_deployments as (

    select * from {{ ref('commit_first_deployments') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

changes as (

    select * from pull_requests
    where merged_at is not null

),

first_deployment as (

    select
        changes.pull_request_key,
        commit_first_deployments.deployment_id,
        commit_first_deployments.environment,
        commit_first_deployments.deployed_at,
        commit_first_deployments.is_measurable
    from changes
    inner join commit_first_deployments
        on
            changes.repository = commit_first_deployments.repository
            and changes.merge_commit_sha = commit_first_deployments.commit_sha

),

measured as (

    select * from first_deployment
    where is_measurable

),

final as (

    select
        changes.pull_request_key,
        changes.repository,
        changes.pull_request_number,
        changes.merge_commit_sha,
        changes.author_login,
        repositories.team_key,
        changes.created_at,
        changes.first_commit_at,
        changes.merged_at,
        measured.deployment_id,
        measured.environment,
        measured.deployed_at,
        first_deployment.deployment_id is not null as is_deployed,
        {{ hours_between('changes.first_commit_at', 'measured.deployed_at') }}
            as lead_time_hours
    from changes
    left join first_deployment
        on changes.pull_request_key = first_deployment.pull_request_key
    left join measured
        on changes.pull_request_key = measured.pull_request_key
    left join repositories
        on changes.repository = repositories.repository

)

select * from final
