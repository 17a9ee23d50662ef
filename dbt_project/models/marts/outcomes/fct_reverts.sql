{#-
    One row per revert (reverts) with the production deployment it fails (METRICS.md, "Reverts"): the
    deployment that first shipped the reverted commit, by the rule fct_changes uses (commit_first_deployments;
    when that first shipment is not measurable, no deployment). The revert
    fails it (attribution_method 'revert') when it was made within the attribution window after that
    deployment: deployed_at <= reverted_at < deployed_at + window. A revert made before the deployment
    (both shipped together) or later than the window, or of a commit not yet deployed, is 'none'.
    The deployment recovers when a production deployment ships the reverting commit (recovered_at).
-#}
{%- set window_hours = var('incident_attribution_window_hours') %}

with

reverts as (

    select * from {{ ref('reverts') }}

),

-- a commit's first shipment, by the rule fct_changes uses; an unmeasurable one gives no deployment
first_shipments as (

    select * from {{ ref('commit_first_deployments') }}
    where is_measurable

),

final as (

    select
        reverts.revert_id,
        reverts.repository,
        reverts.reverting_commit_sha,
        reverts.reverted_commit_sha,
        reverts.detected_from,
        reverts.reverted_at,
        reverted.deployment_id as reverted_deployment_id,
        reverted.deployed_at as reverted_deployed_at,
        reverting.deployment_id as reverting_deployment_id,
        -- a revert reaches production after what it reverts; a reverting commit shipped earlier (a revert
        -- cherry-picked onto another branch) recovers nothing, so recovery is never negative
        case when reverting.deployed_at >= reverted.deployed_at then reverting.deployed_at end as recovered_at,
        case
            when
                reverts.reverted_at >= reverted.deployed_at
                and {{ hours_between('reverted.deployed_at', 'reverts.reverted_at') }} < {{ window_hours }}
                then 'revert'
            else 'none'
        end as attribution_method,
        cast({{ window_hours }} as double) as attribution_window_hours,
        {{ hours_between('reverted.deployed_at', 'reverts.reverted_at') }} as hours_to_revert
    from reverts
    left join first_shipments as reverted
        on
            reverts.repository = reverted.repository
            and reverts.reverted_commit_sha = reverted.commit_sha
    left join first_shipments as reverting
        on
            reverts.repository = reverting.repository
            and reverts.reverting_commit_sha = reverting.commit_sha

)

select * from final
