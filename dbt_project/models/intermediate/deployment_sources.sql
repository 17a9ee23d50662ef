{#-
    Where each repository's and each service's deployments come from (METRICS.md "Deployments",
    "Services"): one row per repository and service_key (null = the repository's own deployments). A
    rule without a service applies to the repositories its globs match (case-insensitive); a rule naming a
    service applies to that service, in its repository. Each takes the first rule that applies, in the
    config's order; a repository no rule applies to at all (neither to it nor to a service of it) deploys
    through GitHub's Deployments API. A repository whose rules all name services has no deployments of
    its own: only its services deploy.
-#}
with

repositories as (

    select * from {{ ref('repositories') }}

),

rules as (

    select * from {{ ref('stg_config__deployment_rules') }}

),

services as (

    select * from {{ ref('stg_config__services') }}

),

applying_rules as (

    select
        repositories.repository,
        services.service_key,  -- as the service is configured, whatever the rule's spelling
        rules.rule_index,
        rules.via,
        rules.workflow_pattern,
        rules.branch,
        rules.events,
        rules.environment,
        rules.tag_pattern,
        rules.include_prereleases,
        rules.job_pattern
    from repositories
    inner join rules
        on lower(repositories.repository) glob rules.repository_pattern
    left join services
        on
            lower(rules.service_key) = lower(services.service_key)
            and lower(repositories.repository) = lower(services.repository)
    where rules.service_key is null or services.service_key is not null

),

first_applying_rule as (

    select * from applying_rules
    qualify
        row_number() over (
            partition by repository, service_key
            order by rule_index
        ) = 1

),

deployments_api_by_default as (

    select
        repositories.repository,
        cast(null as varchar) as service_key,
        cast(null as integer) as rule_index,
        'github_deployments' as via,
        cast(null as varchar) as workflow_pattern,
        cast(null as varchar) as branch,
        cast(null as varchar[]) as events,
        cast(null as varchar) as environment,
        cast(null as varchar) as tag_pattern,
        cast(null as boolean) as include_prereleases,
        cast(null as varchar) as job_pattern
    from repositories
    where repositories.repository not in (select applying_rules.repository from applying_rules)

),

final as (

    select * from first_applying_rule
    union all
    select * from deployments_api_by_default

)

select * from final
