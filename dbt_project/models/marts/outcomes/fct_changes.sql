{#-
    One row per change (merged pull request), with the first successful production deployment that
    shipped its merge commit and its lead time (METRICS.md "Changes and lead time"). When that
    deployment's sha or its previous deployment's is not in the commit graph (deployment_changes
    .is_measurable), the change reached production but when is unknown: is_deployed, no deployment, no
    lead time.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

deployment_changes as (

    select * from {{ ref('deployment_changes') }}

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
        deployment_changes.deployment_id,
        deployment_changes.environment,
        deployment_changes.deployed_at,
        deployment_changes.is_measurable
    from changes
    inner join deployment_changes
        on
            changes.repository = deployment_changes.repository
            and changes.merge_commit_sha = deployment_changes.commit_sha
    -- first-deployment exclusion: changes reachable from a first deployment are not measured
    where not deployment_changes.is_reachable_from_first_deployment
    qualify
        row_number() over (
            partition by changes.pull_request_key
            order by deployment_changes.deployed_at, deployment_changes.deployment_id
        ) = 1

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
