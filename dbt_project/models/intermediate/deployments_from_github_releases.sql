{#-
    Deployments from GitHub releases (METRICS.md "Deployments"): for a repository whose rule says
    `via: github_releases`, each published release whose tag name matches the rule's `tag` glob
    (case-sensitive, like git refs) deployed to the rule's environment when it was published. Drafts never
    count; prereleases only when the rule says `prereleases: true`. Its sha is the commit its tag points to
    (stg_github__tags), not target_commitish (the branch or sha the release was cut from). A release whose
    tag is not among the repository's tags is left out until it is: GitHub turns the release of a deleted
    tag back into a draft, so this is only a read that has not caught up, and a deployment without a sha
    would break every rule about which commits it ships. A release is never a failed attempt.
-#}
with

releases as (

    select * from {{ ref('stg_github__releases') }}

),

tags as (

    select * from {{ ref('stg_github__tags') }}

),

deployment_sources as (

    select * from {{ ref('deployment_sources') }}

),

-- one version per release and tag across source instances (two sources may read one repository)
latest_releases as (

    select *
    from releases
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, release_id
            order by extracted_at desc, source_instance asc
        ) = 1

),

latest_tags as (

    select *
    from tags
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by repository, tag_name
            order by extracted_at desc, source_instance asc
        ) = 1

),

deploying_releases as (

    select
        latest_releases.*,
        deployment_sources.service_key,
        deployment_sources.environment,
        latest_tags.commit_sha
    from latest_releases
    inner join deployment_sources
        on
            latest_releases.repository = deployment_sources.repository
            and deployment_sources.via = 'github_releases'
    inner join latest_tags
        on
            latest_releases.repository = latest_tags.repository
            and latest_releases.tag_name = latest_tags.tag_name
    where
        not latest_releases.is_draft
        and latest_releases.published_at is not null
        and (not latest_releases.is_prerelease or deployment_sources.include_prereleases)
        and latest_releases.tag_name glob deployment_sources.tag_pattern
    -- a release two services' tag globs both match deploys the first rule's
    qualify
        row_number() over (
            partition by latest_releases.repository, latest_releases.release_id
            order by deployment_sources.rule_index
        ) = 1

),

final as (

    select
        release_id as deployment_id,
        'github_releases' as deployment_source,
        release_id::varchar as source_deployment_id,
        repository,
        service_key,
        environment,
        commit_sha,
        tag_name as ref,
        release_name as task,
        author_login as creator_login,
        created_at,
        published_at as deployed_at,
        null::timestamp as failed_at,
        'published' as latest_status_state,
        null::integer as status_count,
        true as is_successful
    from deploying_releases

)

select * from final
