{#-
    One row per shipped commit (repository, commit_sha): the first successful production deployment that
    shipped it, across environments, by deployed_at then deployment_id (METRICS.md "Changes and lead
    time"). A deployment of a service with paths ships only the commits that touch them (touches_service,
    METRICS.md "Services"). A commit reachable from a first deployment is left out (the first-deployment exclusion: it was
    in production before anything we can measure). When that first shipment is not measurable
    (deployment_changes.is_measurable), the commit reached production but when is unknown; a later,
    measurable shipment does not stand in for it. fct_changes (a change's merge commit) and fct_reverts
    (the reverted and the reverting commit) both read this one rule.
-#}
with

deployment_changes as (

    select * from {{ ref('deployment_changes') }}

),

final as (

    select
        repository,
        commit_sha,
        deployment_id,
        environment,
        deployed_at,
        is_measurable
    from deployment_changes
    where not is_reachable_from_first_deployment and touches_service
    qualify
        row_number() over (
            partition by repository, commit_sha
            order by deployed_at, deployment_id
        ) = 1

)

select * from final
