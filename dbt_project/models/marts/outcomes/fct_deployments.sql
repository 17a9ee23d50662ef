{#-
    Every deployment, from its repository's or service's source (METRICS.md "Deployments"): successful
    production deployments count, the others are kept with is_successful / is_production false. Outcome flags (METRICS.md "Outcomes
    in rpt_dora_weekly"): deployment attempts and failed attempts, rollbacks, attributed incidents,
    reverts (fct_reverts), change failures and when each failure recovered. A failed attempt is a change failure only when the
    failed_attempts_are_change_failures var says so (default: its own rate, failed_deployment_attempt_rate).
    One sha shipped to several production environments (regions) is one deployment of the service: the
    later environments' deployments of it, each paired with one of the first environment's, are environment
    copies (is_environment_copy), not counted (is_counted_deployment) unless
    count_deployments_per_environment; a copy's change failure fails the
    deployment it copies. is_in_change_failure_rate / counts_as_change_failure are the change failure
    rate's denominator and numerator. Sequences (previous, rollbacks, recoveries) run per service and
    environment: each service of a monorepo is its own chain (METRICS.md "Services").
-#}
{%- set attempts_fail = var('failed_attempts_are_change_failures') %}
{#- whether a later environment's deployment of a sha can be a copy (false: count every environment) -#}
{%- set copies_count_once = 'false' if var('count_deployments_per_environment') else 'true' %}
{%- set recovered_at = 'coalesce(failure_recovered_at, attempt_recovered_at)' if attempts_fail
    else 'failure_recovered_at' %}

with

deployments as (

    select * from {{ ref('deployments') }}

),

deployment_changes as (

    select * from {{ ref('deployment_changes') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

repositories as (

    select * from {{ ref('repositories') }}

),

incidents as (

    select * from {{ ref('fct_incidents') }}

),

reverts as (

    select * from {{ ref('fct_reverts') }}

),

-- each environment's deployments of a sha, numbered; the environment that deployed the sha first releases it
sha_arrivals as (

    select
        deployment_id,
        repository,
        service,
        environment,
        commit_sha,
        deployed_at,
        first_value(environment) over (
            partition by repository, service, commit_sha order by deployed_at, deployment_id
        ) as release_environment,
        row_number() over (
            partition by repository, service, environment, commit_sha order by deployed_at, deployment_id
        ) as arrival_number
    from deployments
    where is_production and is_successful

),

-- the n-th deployment of a sha in another environment copies the release environment's n-th one, when that
-- came first: a rollout mirrored region by region, redeploys included, counts once per release
environment_copies as (

    select
        copies.deployment_id,
        releases.deployment_id as release_deployment_id
    from sha_arrivals as copies
    inner join sha_arrivals as releases
        on
            copies.repository = releases.repository
            and copies.service = releases.service
            and copies.commit_sha = releases.commit_sha
            and copies.release_environment = releases.environment
            and copies.arrival_number = releases.arrival_number
    where
        copies.environment != copies.release_environment
        and (releases.deployed_at, releases.deployment_id) < (copies.deployed_at, copies.deployment_id)

),

production_sequence as (

    select
        deployment_id,
        row_number() over by_environment as production_deployment_number,
        lag(deployment_id) over by_environment as previous_deployment_id,
        lead(deployment_id) over by_environment as next_deployment_id
    from deployments
    where is_production and is_successful
    window by_environment as (
        partition by repository, service, environment
        order by deployed_at, deployment_id
    )

),

commits_shipped as (

    select
        deployment_id,
        count(*) filter (where is_measurable and touches_service) as commits_shipped,
        bool_and(is_measurable) as is_measurable
    from deployment_changes
    group by deployment_id

),

changes_shipped as (

    select
        deployment_id,
        count(*) as changes_shipped,
        median(lead_time_hours) as lead_time_median_hours
    from changes
    where deployment_id is not null
    group by deployment_id

),

-- the next deployment R of D rolls D back when R's sha is a strict ancestor of D's: then R ships
-- nothing by the reachability rule (everything reachable from R is reachable from D) and has
-- another sha; deployment_changes already computes that, exactly, for every R after the first
rollbacks as (

    select
        production_sequence.deployment_id,
        next_deployments.deployment_id as rolled_back_by_deployment_id,
        next_deployments.deployed_at as rolled_back_at
    from production_sequence
    inner join deployments
        on production_sequence.deployment_id = deployments.deployment_id
    inner join deployments as next_deployments
        on production_sequence.next_deployment_id = next_deployments.deployment_id
    left join commits_shipped
        on next_deployments.deployment_id = commits_shipped.deployment_id
    where
        commits_shipped.deployment_id is null
        and next_deployments.commit_sha != deployments.commit_sha

),

-- a failed attempt recovers at the next successful production deployment of its service and environment
failed_attempts as (

    select
        attempts.deployment_id,
        min(recoveries.deployed_at) as recovered_at
    from deployments as attempts
    left join deployments as recoveries
        on
            attempts.repository = recoveries.repository
            and attempts.service = recoveries.service
            and attempts.environment = recoveries.environment
            and recoveries.is_production
            and recoveries.is_successful
            and attempts.failed_at < recoveries.deployed_at
    where attempts.is_production and not attempts.is_successful and attempts.failed_at is not null
    group by attempts.deployment_id

),

attributed_incidents as (

    select
        deployment_id,
        count(*) as attributed_incidents,
        -- recovered when every attributed incident is resolved: the last resolution
        case when count(resolved_at) = count(*) then max(resolved_at) end as incidents_resolved_at
    from incidents
    where deployment_id is not null and is_production_failure
    group by deployment_id

),

-- a deployment whose change was reverted within the window: recovered once every such revert shipped
reverted as (

    select
        reverted_deployment_id as deployment_id,
        count(*) as reverts,
        case when count(recovered_at) = count(*) then max(recovered_at) end as reverts_shipped_at
    from reverts
    where attribution_method = 'revert'
    group by reverted_deployment_id

),

outcomes as (

    select
        deployments.deployment_id,
        deployments.deployment_source,
        deployments.repository,
        deployments.service,
        repositories.team_key,
        deployments.environment,
        deployments.commit_sha,
        deployments.ref,
        deployments.creator_login,
        deployments.created_at,
        deployments.deployed_at,
        deployments.failed_at,
        deployments.latest_status_state,
        deployments.is_production,
        deployments.is_successful,
        deployments.is_production and deployments.is_successful as is_production_deployment,
        {{ copies_count_once }} and environment_copies.deployment_id is not null as is_environment_copy,
        coalesce(
            case when {{ copies_count_once }} then environment_copies.release_deployment_id end,
            deployments.deployment_id
        ) as counted_deployment_id,
        production_sequence.production_deployment_number,
        production_sequence.previous_deployment_id,
        coalesce(production_sequence.production_deployment_number = 1, false)
            as is_first_production_deployment,
        coalesce(commits_shipped.commits_shipped, 0) as commits_shipped,
        -- what it shipped is known: not the first of its environment, and both shas in the commit graph
        coalesce(
            production_sequence.production_deployment_number > 1 and commits_shipped.is_measurable is not false,
            false
        ) as is_change_measurable,
        coalesce(changes_shipped.changes_shipped, 0) as changes_shipped,
        changes_shipped.lead_time_median_hours,
        deployments.is_production and (deployments.is_successful or deployments.failed_at is not null)
            as is_deployment_attempt,
        failed_attempts.deployment_id is not null as is_failed_attempt,
        case
            when deployments.is_production and deployments.is_successful then deployments.deployed_at
            when failed_attempts.deployment_id is not null then deployments.failed_at
        end as attempted_at,
        rollbacks.deployment_id is not null as is_rolled_back,
        rollbacks.rolled_back_by_deployment_id,
        rollbacks.rolled_back_at,
        coalesce(reverted.reverts, 0) as reverts,
        reverted.deployment_id is not null as is_reverted,
        reverted.reverts_shipped_at,
        coalesce(attributed_incidents.attributed_incidents, 0) as attributed_incidents,
        attributed_incidents.deployment_id is not null as has_attributed_incident,
        failed_attempts.recovered_at as attempt_recovered_at,
        deployments.is_production and deployments.is_successful
        and (
            attributed_incidents.deployment_id is not null
            or rollbacks.deployment_id is not null
            or reverted.deployment_id is not null
        ) as is_failed_deployment,
        -- incidents recover when resolved; else the rollback or the shipped revert, whichever came first
        -- (least skips a null: a revert not yet shipped leaves the rollback)
        case
            when attributed_incidents.deployment_id is not null then attributed_incidents.incidents_resolved_at
            when rollbacks.deployment_id is not null then least(rollbacks.rolled_back_at, reverted.reverts_shipped_at)
            else reverted.reverts_shipped_at
        end as failure_recovered_at
    from deployments
    left join repositories
        on deployments.repository = repositories.repository
    left join environment_copies
        on deployments.deployment_id = environment_copies.deployment_id
    left join production_sequence
        on deployments.deployment_id = production_sequence.deployment_id
    left join commits_shipped
        on deployments.deployment_id = commits_shipped.deployment_id
    left join changes_shipped
        on deployments.deployment_id = changes_shipped.deployment_id
    left join rollbacks
        on deployments.deployment_id = rollbacks.deployment_id
    left join failed_attempts
        on deployments.deployment_id = failed_attempts.deployment_id
    left join attributed_incidents
        on deployments.deployment_id = attributed_incidents.deployment_id
    left join reverted
        on deployments.deployment_id = reverted.deployment_id

),

classified as (

    select
        * exclude (is_failed_deployment, failure_recovered_at),
        is_production_deployment and not is_environment_copy as is_counted_deployment,
        is_{{ 'deployment_attempt' if attempts_fail else 'production_deployment' }} and not is_environment_copy
            as is_in_change_failure_rate,
        is_failed_deployment {{- ' or is_failed_attempt' if attempts_fail }} as is_change_failure,
        {{ recovered_at }} as recovered_at,
        {{ hours_between('attempted_at', recovered_at) }} as recovery_hours,
        {{ hours_between('attempted_at', 'attempt_recovered_at') }} as attempt_recovery_hours
    from outcomes

),

final as (

    select
        *,
        -- a deployment fails with any environment copy of it
        is_in_change_failure_rate
        and bool_or(is_change_failure) over (partition by counted_deployment_id) as counts_as_change_failure
    from classified

)

select * from final
