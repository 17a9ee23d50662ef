{#-
    Where each repository's deployments come from (METRICS.md "Deployments"): the first of the config's
    deployments.rules whose repository glob matches it (case-insensitive), else GitHub's Deployments API.
-#}
with

repositories as (

    select * from {{ ref('repositories') }}

),

rules as (

    select * from {{ ref('stg_config__deployment_rules') }}

),

first_matching_rule as (

    select
        repositories.repository,
        rules.rule_index,
        rules.via,
        rules.workflow_pattern,
        rules.branch,
        rules.events,
        rules.environment,
        rules.tag_pattern,
        rules.include_prereleases
    from repositories
    inner join rules
        on lower(repositories.repository) glob rules.repository_pattern
    qualify
        row_number() over (
            partition by repositories.repository
            order by rules.rule_index
        ) = 1

),

final as (

    select
        repositories.repository,
        coalesce(first_matching_rule.via, 'github_deployments') as via,
        first_matching_rule.rule_index,
        first_matching_rule.workflow_pattern,
        first_matching_rule.branch,
        first_matching_rule.events,
        first_matching_rule.environment,
        first_matching_rule.tag_pattern,
        first_matching_rule.include_prereleases
    from repositories
    left join first_matching_rule
        on repositories.repository = first_matching_rule.repository

)

select * from final
