{#-
    Canonical work items: one row per Jira issue (METRICS.md "Work items"). The canonical type comes from
    config__work_item_types (case-insensitive; unmapped -> chore); story points and sprint from the
    fields config__jira_fields names (a field name or id; ids differ per site); started_at is the first
    status change into an `indeterminate` status; the team owns the project key.
-#}
with

issues as (

    select * from {{ ref('stg_jira__issues') }}

),

issue_links as (

    select * from {{ ref('stg_jira__issue_links') }}

),

statuses as (

    select * from {{ ref('stg_jira__statuses') }}

),

fields as (

    select * from {{ ref('stg_jira__fields') }}

),

jira_fields as (

    select * from {{ ref('stg_config__jira_fields') }}

),

work_item_types as (

    select * from {{ ref('stg_config__work_item_types') }}

),

team_projects as (

    select * from {{ ref('stg_config__team_projects') }}

),

transitions as (

    select * from {{ ref('work_item_transitions') }}

),

identities as (

    select * from {{ ref('identities') }}

),

-- an issue may be landed under several scopes (it moved project): keep the latest version
issues_one as (

    select * from issues
    where not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by source_instance, issue_id order by extracted_at desc, updated_at desc nulls last
        ) = 1

),

statuses_one as (

    select * from statuses
    qualify row_number() over (partition by source_instance, status_id order by extracted_at desc) = 1

),

-- the configured field (name or id) -> the site's field ids; an id that the field list lacks still counts
configured_field_ids as (

    select
        jira_fields.source_instance,
        jira_fields.field_role,
        fields.field_id
    from jira_fields
    inner join fields
        on
            jira_fields.source_instance = fields.source_instance
            and (
                jira_fields.field_normalized = lower(fields.field_id)
                or jira_fields.field_normalized = lower(trim(fields.field_name))
            )
    union
    select
        source_instance,
        field_role,
        field as field_id
    from jira_fields

),

field_values as (

    select
        issues_one.source_instance,
        issues_one.issue_id,
        configured_field_ids.field_role,
        configured_field_ids.field_id,
        json_extract(issues_one.issue_fields, '$."' || configured_field_ids.field_id || '"') as field_value
    from issues_one
    inner join configured_field_ids
        on issues_one.source_instance = configured_field_ids.source_instance

),

-- several configured fields may hold a value (e.g. "Story Points" and "Story point estimate"): lowest id wins
role_values as (

    select
        source_instance,
        issue_id,
        field_role,
        field_value
    from field_values
    where field_value is not null and json_type(field_value) != 'NULL'
    qualify
        row_number() over (partition by source_instance, issue_id, field_role order by field_id) = 1

),

story_points as (

    select
        source_instance,
        issue_id,
        try_cast(field_value ->> '$' as double) as story_points
    from role_values
    where field_role = 'story_points'

),

last_sprints as (

    select
        source_instance,
        issue_id,
        case
            when json_type(field_value) = 'ARRAY' then field_value -> '$[-1]'
            else field_value
        end as last_sprint
    from role_values
    where field_role = 'sprint'

),

-- Cloud: a list of sprint objects; Server: a list of strings "...Sprint@1a2b[id=1,...,name=Sprint 1,...]"
sprints as (

    select
        source_instance,
        issue_id,
        case
            when json_type(last_sprint) = 'OBJECT' then last_sprint ->> '$.name'
            when regexp_matches(last_sprint ->> '$', 'name=')
                then regexp_extract(last_sprint ->> '$', 'name=([^,\]]*)', 1)
            else last_sprint ->> '$'
        end as sprint
    from last_sprints

),

started as (

    select
        work_item_id,
        min(transitioned_at) as started_at
    from transitions
    where to_category = 'indeterminate'
    group by work_item_id

),

caused_by as (

    select
        source_instance,
        issue_id,
        list(distinct linked_issue_key order by linked_issue_key) as caused_by_keys
    from issue_links
    where
        not is_deleted
        and link_direction = 'inward'
        and lower(trim(link_description)) = 'is caused by'
        and linked_issue_key is not null
    group by source_instance, issue_id

),

project_teams as (

    select
        project_key,
        min(team_key) as team_key
    from team_projects
    group by project_key

),

final as (

    select
        issues_one.source_instance || ':' || issues_one.issue_id as work_item_id,
        issues_one.source_instance,
        issues_one.issue_key as work_item_key,
        issues_one.project_key,
        issues_one.issue_type,
        coalesce(work_item_types.canonical_type, 'chore') as canonical_type,
        issues_one.summary,
        issues_one.status_name as status,
        coalesce(statuses_one.status_category_key, issues_one.status_category_key) as status_category,
        issues_one.created_at,
        issues_one.updated_at,
        started.started_at,
        issues_one.resolved_at,
        story_points.story_points,
        sprints.sprint,
        'jira_account:' || lower(trim(issues_one.reporter_account_id)) as reporter_identity_id,
        reporters.person_id as reporter_person_id,
        'jira_account:' || lower(trim(issues_one.assignee_account_id)) as assignee_identity_id,
        assignees.person_id as assignee_person_id,
        issues_one.labels,
        issues_one.components,
        issues_one.environment,
        coalesce(caused_by.caused_by_keys, cast([] as varchar[])) as caused_by_keys,
        project_teams.team_key
    from issues_one
    left join work_item_types
        on
            issues_one.source_instance = work_item_types.source_instance
            and lower(trim(issues_one.issue_type)) = work_item_types.issue_type_normalized
    left join statuses_one
        on
            issues_one.source_instance = statuses_one.source_instance
            and issues_one.status_id = statuses_one.status_id
    left join started
        on issues_one.source_instance || ':' || issues_one.issue_id = started.work_item_id
    left join story_points
        on
            issues_one.source_instance = story_points.source_instance
            and issues_one.issue_id = story_points.issue_id
    left join sprints
        on
            issues_one.source_instance = sprints.source_instance
            and issues_one.issue_id = sprints.issue_id
    left join caused_by
        on
            issues_one.source_instance = caused_by.source_instance
            and issues_one.issue_id = caused_by.issue_id
    left join project_teams
        on issues_one.project_key = project_teams.project_key
    left join identities as reporters
        on 'jira_account:' || lower(trim(issues_one.reporter_account_id)) = reporters.identity_id
    left join identities as assignees
        on 'jira_account:' || lower(trim(issues_one.assignee_account_id)) = assignees.identity_id

)

select * from final
