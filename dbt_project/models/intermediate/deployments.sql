{#-
    Canonical deployments (METRICS.md "Deployments"): each repository's and each service's from the one
    source its deployments.rules name (deployment_sources). `service` is the configured service a
    deployment ships, else its repository (a repository is its own service). Every later rule (which commits a deployment ships, failures, recovery)
    reads this model and does not care where a deployment came from.
-#}
with

from_github_api as (

    select * from {{ ref('deployments_from_github_api') }}

),

from_github_actions as (

    select * from {{ ref('deployments_from_github_actions') }}

),

from_pushed_events as (

    select * from {{ ref('deployments_from_pushed_events') }}

),

from_github_releases as (

    select * from {{ ref('deployments_from_github_releases') }}

),

production_environments as (

    select * from {{ ref('stg_config__production_environments') }}

),

unioned as (

    select * from from_github_api
    union all by name
    select * from from_github_actions
    union all by name
    select * from from_pushed_events
    union all by name
    select * from from_github_releases

),

final as (

    -- one production rule for every source: the environment is listed in the config
    select
        unioned.* exclude (unioned.service_key),
        coalesce(unioned.service_key, unioned.repository) as service,
        coalesce(unioned.environment in (
            select production_environments.environment from production_environments
        ), false) as is_production
    from unioned

)

-- union by name: the sources' columns are listed (and documented) once, on this model
select * from final  -- noqa: AM04
