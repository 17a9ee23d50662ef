with

source as (

    select * from {{ source('config', 'config__deployment_rules') }}

),

final as (

    select
        rule_index,
        lower(repository_pattern) as repository_pattern,
        via,
        lower(workflow_pattern) as workflow_pattern,
        branch,
        events,
        environment,
        tag_pattern,  -- case-sensitive, like git refs
        coalesce(include_prereleases, false) as include_prereleases,
        service as service_key,
        rule_index || ':' || lower(repository_pattern) as rule_pattern_id,
        lower(job_pattern) as job_pattern  -- job names match without regard to case, like workflows
    from source

)

select * from final
