{#-
    Which commits each successful production deployment ships (METRICS.md, "Deployment <-> change rule"):
    deployment D ships commit C when C is reachable from D's sha (following all parents, D's sha
    included) and not reachable from the sha of the previous successful production deployment P of
    the same repository, service and environment (previous by deployed_at): each service of a monorepo
    is its own chain ("Services"). The first deployment F of a service/environment has no P and ships
    nothing. A commit reachable from F, or from the first deployment of any other production
    environment of the service deployed at or before D, was in
    production before anything we can measure: it can still be shipped by D (after a rollback below F,
    or by an environment that started later), but is flagged (is_reachable_from_first_deployment) so that
    fct_changes excludes it. F below means all of those firsts.

    Two exact ways to the same sets:
    1. Mainline (fast path). The mainline of a repository is the first-parent chain from the sha of
       its latest successful production deployment; position = distance from the chain's root. Every
       commit C gets introduced_at = the lowest position of a mainline commit that reaches C through
       non-mainline commits only (its own position for a mainline commit). For a mainline commit M,
       ancestors(M) = {C : introduced_at(C) <= position(M)}, so when D, P and F all sit on the
       mainline, D ships {C : position(P) < introduced_at(C) <= position(D)}: a range join, no
       per-deployment walk.
    2. Walk (fallback, any DAG): for a deployment whose D, P or F is off the mainline (a hotfix branch,
       an unknown sha), walk all ancestors of each of the three shas and take
       ancestors(D) - ancestors(P).
    A sha the commit graph does not know (not extracted, force-pushed away, another repository's) has no
    ancestors: when D's or P's sha is unknown the set above is not what D shipped, so its rows are
    flagged is_measurable = false (fct_changes measures no lead time from them) instead of crediting
    D with P's whole history.
    touches_service: C is the service's (a service with paths: C touches them, commit_services); the
    other rows are what D carried along, not what it delivered.
-#}
with

deployments as (

    select * from {{ ref('deployments') }}

),

commit_parents as (

    select * from {{ ref('commit_parents') }}

),

commit_services as (

    select * from {{ ref('commit_services') }}

),

services_with_paths as (

    select * from {{ ref('stg_config__services') }}
    where has_paths

),

-- every sha the commit graph knows: each commit with parents, and each parent (a root commit included)
tracked_shas as (

    select
        repository,
        commit_sha
    from commit_parents
    union
    select
        repository,
        parent_sha as commit_sha
    from commit_parents

),

production_deployments as (

    select
        deployment_id,
        repository,
        service,
        environment,
        commit_sha,
        deployed_at,
        lag(deployment_id) over by_environment as previous_deployment_id,
        lag(commit_sha) over by_environment as previous_commit_sha
    from deployments
    where is_production and is_successful
    window by_environment as (
        partition by repository, service, environment
        order by deployed_at, deployment_id
    )

),

measurable_deployments as (

    select
        production_deployments.*,
        deployed_tracked.commit_sha is not null
        and previous_tracked.commit_sha is not null as is_measurable
    from production_deployments
    left join tracked_shas as deployed_tracked
        on
            production_deployments.repository = deployed_tracked.repository
            and production_deployments.commit_sha = deployed_tracked.commit_sha
    left join tracked_shas as previous_tracked
        on
            production_deployments.repository = previous_tracked.repository
            and production_deployments.previous_commit_sha = previous_tracked.commit_sha
    where production_deployments.previous_deployment_id is not null

),

-- the first-deployment exclusion across environments: for D, the first deployment of every production
-- environment of its service that deployed at or before D (its own environment's included). A commit
-- reachable from one of them was in production, unmeasured, before D shipped it.
environment_firsts as (

    select
        repository,
        service,
        commit_sha as first_sha,
        deployed_at as first_deployed_at
    from production_deployments
    where previous_deployment_id is null

),

earlier_firsts as (

    select
        measurable_deployments.deployment_id,
        measurable_deployments.repository,
        environment_firsts.first_sha
    from measurable_deployments
    inner join environment_firsts
        on
            measurable_deployments.repository = environment_firsts.repository
            and measurable_deployments.service = environment_firsts.service
            and measurable_deployments.deployed_at >= environment_firsts.first_deployed_at

),

-- 1. the mainline ------------------------------------------------------------------------------

-- the mainline starts at the sha of the repository's latest successful production deployment
mainline_heads as (

    select
        repository,
        commit_sha as head_sha,
        -- positions of all repositories on one number line
        dense_rank() over (order by repository) * 1000000000 as repository_offset
    from production_deployments
    qualify
        row_number() over (
            partition by repository
            order by deployed_at desc, deployment_id desc
        ) = 1

),

first_parent_chain as (

    with recursive chain as (

        select
            repository,
            head_sha as commit_sha,
            0 as depth
        from mainline_heads
        union all
        select
            chain.repository,
            commit_parents.parent_sha as commit_sha,
            chain.depth + 1 as depth
        from chain
        inner join commit_parents
            on
                chain.repository = commit_parents.repository
                and chain.commit_sha = commit_parents.commit_sha
                and commit_parents.parent_number = 1

    )

    select * from chain

),

mainline as (

    select
        first_parent_chain.repository,
        first_parent_chain.commit_sha,
        mainline_heads.repository_offset
        + max(first_parent_chain.depth) over (partition by first_parent_chain.repository)
        - first_parent_chain.depth as mainline_position
    from first_parent_chain
    inner join mainline_heads
        on first_parent_chain.repository = mainline_heads.repository

),

-- side parents of mainline commits that are not themselves on the mainline
branch_starts as (

    select
        mainline.repository,
        commit_parents.parent_sha as commit_sha,
        mainline.mainline_position as origin_position
    from mainline
    inner join commit_parents
        on
            mainline.repository = commit_parents.repository
            and mainline.commit_sha = commit_parents.commit_sha
            and commit_parents.parent_number > 1
    left join mainline as parent_on_mainline
        on
            commit_parents.repository = parent_on_mainline.repository
            and commit_parents.parent_sha = parent_on_mainline.commit_sha
    where parent_on_mainline.commit_sha is null

),

-- walk down each merged branch until it meets the mainline
branch_walk as (

    with recursive walk as (

        select
            repository,
            commit_sha,
            origin_position
        from branch_starts
        union
        select
            walk.repository,
            commit_parents.parent_sha as commit_sha,
            walk.origin_position
        from walk
        inner join commit_parents
            on
                walk.repository = commit_parents.repository
                and walk.commit_sha = commit_parents.commit_sha
        left join mainline as parent_on_mainline
            on
                commit_parents.repository = parent_on_mainline.repository
                and commit_parents.parent_sha = parent_on_mainline.commit_sha
        where parent_on_mainline.commit_sha is null

    )

    select * from walk

),

introductions as (

    select
        repository,
        commit_sha,
        mainline_position as introduced_at
    from mainline
    union all
    select
        repository,
        commit_sha,
        min(origin_position) as introduced_at
    from branch_walk
    group by repository, commit_sha

),

-- on the mainline ancestor sets are nested: reachable from any earlier first = from the highest one
first_positions as (

    select
        earlier_firsts.deployment_id,
        max(mainline.mainline_position) as first_position,
        count(mainline.commit_sha) = count(*) as are_firsts_on_mainline
    from earlier_firsts
    left join mainline
        on
            earlier_firsts.repository = mainline.repository
            and earlier_firsts.first_sha = mainline.commit_sha
    group by earlier_firsts.deployment_id

),

positioned_deployments as (

    select
        measurable_deployments.*,
        deployed.mainline_position as deployed_position,
        previous.mainline_position as previous_position,
        first_positions.first_position,
        deployed.commit_sha is not null
        and previous.commit_sha is not null
        and first_positions.are_firsts_on_mainline as is_on_mainline
    from measurable_deployments
    left join mainline as deployed
        on
            measurable_deployments.repository = deployed.repository
            and measurable_deployments.commit_sha = deployed.commit_sha
    left join mainline as previous
        on
            measurable_deployments.repository = previous.repository
            and measurable_deployments.previous_commit_sha = previous.commit_sha
    inner join first_positions
        on measurable_deployments.deployment_id = first_positions.deployment_id

),

mainline_shipped as (

    select
        positioned_deployments.deployment_id,
        positioned_deployments.repository,
        positioned_deployments.service,
        positioned_deployments.environment,
        positioned_deployments.deployed_at,
        positioned_deployments.previous_deployment_id,
        introductions.commit_sha,
        introductions.commit_sha = positioned_deployments.commit_sha as is_deployed_sha,
        introductions.introduced_at
        <= positioned_deployments.first_position as is_reachable_from_first_deployment,
        positioned_deployments.is_measurable
    from positioned_deployments
    inner join introductions
        on
            positioned_deployments.repository = introductions.repository
            and positioned_deployments.previous_position < introductions.introduced_at
            and positioned_deployments.deployed_position >= introductions.introduced_at
    where positioned_deployments.is_on_mainline

),

-- 2. the walk, for deployments off the mainline --------------------------------------------------

off_mainline_deployments as (

    select * from positioned_deployments
    where not is_on_mainline

),

roots as (

    select
        repository,
        commit_sha as root_sha
    from off_mainline_deployments
    union
    select
        repository,
        previous_commit_sha as root_sha
    from off_mainline_deployments
    union
    select
        earlier_firsts.repository,
        earlier_firsts.first_sha as root_sha
    from earlier_firsts
    inner join off_mainline_deployments
        on earlier_firsts.deployment_id = off_mainline_deployments.deployment_id

),

-- (root, ancestor) pairs; union (not union all) drops pairs already found, so every walk ends.
-- Recursive queries are nested so the model's top-level `with` stays plain (dbt unit tests inject
-- their fixtures there).
ancestors as (

    with recursive walk as (

        select
            repository,
            root_sha,
            root_sha as commit_sha
        from roots
        union
        select
            walk.repository,
            walk.root_sha,
            commit_parents.parent_sha as commit_sha
        from walk
        inner join commit_parents
            on
                walk.repository = commit_parents.repository
                and walk.commit_sha = commit_parents.commit_sha

    )

    select * from walk

),

reachable_from_firsts as (

    select distinct
        earlier_firsts.deployment_id,
        ancestors.commit_sha
    from earlier_firsts
    inner join off_mainline_deployments
        on earlier_firsts.deployment_id = off_mainline_deployments.deployment_id
    inner join ancestors
        on
            earlier_firsts.repository = ancestors.repository
            and earlier_firsts.first_sha = ancestors.root_sha

),

walked_shipped as (

    select
        off_mainline_deployments.deployment_id,
        off_mainline_deployments.repository,
        off_mainline_deployments.service,
        off_mainline_deployments.environment,
        off_mainline_deployments.deployed_at,
        off_mainline_deployments.previous_deployment_id,
        reachable.commit_sha,
        reachable.commit_sha = off_mainline_deployments.commit_sha as is_deployed_sha,
        before_first.commit_sha is not null as is_reachable_from_first_deployment,
        off_mainline_deployments.is_measurable
    from off_mainline_deployments
    inner join ancestors as reachable
        on
            off_mainline_deployments.repository = reachable.repository
            and off_mainline_deployments.commit_sha = reachable.root_sha
    left join ancestors as already_shipped
        on
            off_mainline_deployments.repository = already_shipped.repository
            and off_mainline_deployments.previous_commit_sha = already_shipped.root_sha
            and reachable.commit_sha = already_shipped.commit_sha
    left join reachable_from_firsts as before_first
        on
            off_mainline_deployments.deployment_id = before_first.deployment_id
            and reachable.commit_sha = before_first.commit_sha
    where already_shipped.commit_sha is null

),

shipped as (

    select * from mainline_shipped
    union all
    select * from walked_shipped

),

final as (

    select
        shipped.deployment_id || ':' || shipped.commit_sha as deployment_change_id,
        shipped.deployment_id,
        shipped.repository,
        shipped.service,
        shipped.environment,
        shipped.commit_sha,
        shipped.deployed_at,
        shipped.previous_deployment_id,
        shipped.is_deployed_sha,
        shipped.is_reachable_from_first_deployment,
        shipped.is_measurable,
        services_with_paths.service_key is null or commit_services.commit_sha is not null as touches_service
    from shipped
    left join services_with_paths
        on shipped.service = services_with_paths.service_key
    left join commit_services
        on
            shipped.repository = commit_services.repository
            and shipped.commit_sha = commit_services.commit_sha
            and shipped.service = commit_services.service_key

)

select * from final
