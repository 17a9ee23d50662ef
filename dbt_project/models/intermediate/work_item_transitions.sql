{#-
    Status changes of work items: the changelog items with field `status`, with the category (new,
    indeterminate, done) of the from and to statuses. Statuses are matched by id, else by name.
-#}
with

changelog_items as (

    select * from {{ ref('stg_jira__issue_changelogs') }}

),

issues as (

    select * from {{ ref('stg_jira__issues') }}

),

statuses as (

    select * from {{ ref('stg_jira__statuses') }}

),

-- a record may be landed under several scopes (projects): keep one per site and id
status_changes as (

    select * from changelog_items
    where is_status_change and not is_deleted and has_required_values
    qualify
        row_number() over (
            partition by source_instance, changelog_item_id order by extracted_at desc
        ) = 1

),

issues_one as (

    select * from issues
    qualify row_number() over (partition by source_instance, issue_id order by extracted_at desc) = 1

),

statuses_one as (

    select * from statuses
    qualify row_number() over (partition by source_instance, status_id order by extracted_at desc) = 1

),

status_by_name as (

    select
        source_instance,
        lower(status_name) as status_name_normalized,
        min(status_category_key) as status_category_key
    from statuses_one
    group by source_instance, lower(status_name)

),

final as (

    select
        status_changes.source_instance || ':' || status_changes.changelog_item_id as work_item_transition_id,
        status_changes.source_instance || ':' || status_changes.issue_id as work_item_id,
        issues.issue_key as work_item_key,
        status_changes.created_at as transitioned_at,
        status_changes.from_string as from_status,
        status_changes.to_string as to_status,
        coalesce(from_by_id.status_category_key, from_by_name.status_category_key) as from_category,
        coalesce(to_by_id.status_category_key, to_by_name.status_category_key) as to_category,
        'jira_account:' || lower(trim(status_changes.author_account_id)) as author_identity_id
    from status_changes
    left join issues_one as issues
        on
            status_changes.source_instance = issues.source_instance
            and status_changes.issue_id = issues.issue_id
    left join statuses_one as from_by_id
        on
            status_changes.source_instance = from_by_id.source_instance
            and status_changes.from_value = from_by_id.status_id
    left join statuses_one as to_by_id
        on
            status_changes.source_instance = to_by_id.source_instance
            and status_changes.to_value = to_by_id.status_id
    left join status_by_name as from_by_name
        on
            status_changes.source_instance = from_by_name.source_instance
            and lower(status_changes.from_string) = from_by_name.status_name_normalized
    left join status_by_name as to_by_name
        on
            status_changes.source_instance = to_by_name.source_instance
            and lower(status_changes.to_string) = to_by_name.status_name_normalized

)

select * from final
