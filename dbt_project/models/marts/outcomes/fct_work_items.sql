{#-
    One row per work item with its path from request to production (METRICS.md "Request to
    production", for customer requests and features; null for other types) and, for bugs, whether and
    why it was found in production (METRICS.md "Defect escape").
-#}
with

work_items as (

    select * from {{ ref('work_items') }}

),

work_item_pull_requests as (

    select * from {{ ref('work_item_pull_requests') }}

),

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

changes as (

    select * from {{ ref('fct_changes') }}

),

incidents as (

    select * from {{ ref('incidents') }}

),

linked as (

    select
        work_item_pull_requests.work_item_id,
        pull_requests.pull_request_key,
        pull_requests.created_at,
        pull_requests.merged_at,
        changes.is_deployed,
        changes.deployed_at
    from work_item_pull_requests
    inner join pull_requests
        on work_item_pull_requests.pull_request_key = pull_requests.pull_request_key
    left join changes
        on pull_requests.pull_request_key = changes.pull_request_key

),

-- closed-unmerged and open pull requests count as links but not as merges or deployments
pull_request_summary as (

    select
        work_item_id,
        count(*) as linked_prs,
        min(created_at) as first_pr_opened_at,
        max(merged_at) as merged_at,
        count(merged_at) as merged_prs,
        -- a pull request shipped by an unmeasurable deployment has no known deployed_at: not counted
        count(case when merged_at is not null then deployed_at end) as deployed_prs,
        max(case when merged_at is not null then deployed_at end) as last_deployed_at
    from linked
    group by work_item_id

),

request_items as (

    select
        work_items.work_item_id,
        pull_request_summary.first_pr_opened_at,
        pull_request_summary.merged_at,
        -- delivered only when every merged pull request has shipped at a known time
        case
            when
                pull_request_summary.merged_prs > 0
                and pull_request_summary.deployed_prs = pull_request_summary.merged_prs
                then pull_request_summary.last_deployed_at
        end as deployed_at
    from work_items
    left join pull_request_summary
        on work_items.work_item_id = pull_request_summary.work_item_id
    where work_items.canonical_type in ('customer_request', 'feature')

),

bugs as (

    select * from work_items
    where canonical_type = 'bug'

),

incident_mentions as (

    select distinct
        upper(unnest(regexp_extract_all(
            coalesce(title, '') || chr(10) || coalesce(description, ''),
            '\b([A-Za-z][A-Za-z0-9]+-[0-9]+)\b',
            1
        ))) as mentioned_key
    from incidents

),

found_by_incident as (

    select distinct bugs.work_item_id
    from bugs
    inner join incident_mentions
        on upper(bugs.work_item_key) = incident_mentions.mentioned_key

),

found_by_field as (

    select work_item_id
    from bugs
    where
        coalesce(regexp_matches(environment, '(?i)\bprod(uction)?\b'), false)
        or list_has_any(
            labels,
            cast([
                {%- for label in var('production_bug_labels') -%}
                    '{{ label | replace("'", "''") }}'{{ ', ' if not loop.last }}
                {%- endfor -%}
            ] as varchar[])
        )

),

bug_causes as (

    select
        bugs.work_item_id,
        bugs.source_instance,
        bugs.created_at,
        upper(unnest(bugs.caused_by_keys)) as cause_key
    from bugs

),

-- the causing work item had a change in production before the bug was reported
found_by_cause as (

    select distinct bug_causes.work_item_id
    from bug_causes
    inner join work_items as causes
        on
            bug_causes.source_instance = causes.source_instance
            and bug_causes.cause_key = upper(causes.work_item_key)
    inner join linked
        on causes.work_item_id = linked.work_item_id
    where linked.is_deployed and linked.deployed_at < bug_causes.created_at

),

escapes as (

    select
        bugs.work_item_id,
        case
            when found_by_incident.work_item_id is not null then 'incident'
            when found_by_field.work_item_id is not null then 'field'
            when found_by_cause.work_item_id is not null then 'caused_by'
        end as found_in_production_reason
    from bugs
    left join found_by_incident
        on bugs.work_item_id = found_by_incident.work_item_id
    left join found_by_field
        on bugs.work_item_id = found_by_field.work_item_id
    left join found_by_cause
        on bugs.work_item_id = found_by_cause.work_item_id

),

final as (

    select
        work_items.work_item_id,
        work_items.work_item_key,
        work_items.team_key,
        work_items.canonical_type,
        work_items.created_at,
        work_items.started_at,
        request_items.first_pr_opened_at,
        request_items.merged_at,
        request_items.deployed_at,
        request_items.deployed_at is not null as is_delivered,
        cast(coalesce(pull_request_summary.linked_prs, 0) as integer) as linked_prs,
        case
            when request_items.work_item_id is not null
                then {{ hours_between('work_items.created_at', 'work_items.started_at') }}
        end as wait_to_start_hours,
        {{ hours_between('work_items.started_at', 'request_items.first_pr_opened_at') }} as start_to_pr_hours,
        {{ hours_between('request_items.first_pr_opened_at', 'request_items.merged_at') }} as pr_to_merge_hours,
        {{ hours_between('request_items.merged_at', 'request_items.deployed_at') }} as merge_to_deploy_hours,
        {{ hours_between('work_items.created_at', 'request_items.deployed_at') }} as request_to_production_hours,
        -- bugs only: null for other types
        case
            when escapes.work_item_id is not null then escapes.found_in_production_reason is not null
        end as is_found_in_production,
        escapes.found_in_production_reason
    from work_items
    left join request_items
        on work_items.work_item_id = request_items.work_item_id
    left join pull_request_summary
        on work_items.work_item_id = pull_request_summary.work_item_id
    left join escapes
        on work_items.work_item_id = escapes.work_item_id

)

select * from final
