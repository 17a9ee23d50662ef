{#-
    Jira issues. Times such as `2026-03-01T10:00:00.000+0100` carry the reporter's or the site's offset
    (Europe/Berlin switches between +0100 and +0200): casting to timestamptz honours the offset, then
    UTC. A malformed time becomes null instead of failing the whole view (the `conversions` macros).
    Rich-text fields (description, environment) are Atlassian Document Format objects in API v3 and
    plain strings in v2 / Server: both become text (ADF: text nodes joined per block, blocks by newline).
-#}
{%- set conversions = [
    conversion('created_at', "issue_fields ->> '$.created'", 'timestamp', required=true),
    conversion('updated_at', "issue_fields ->> '$.updated'", 'timestamp'),
    conversion('resolved_at', "issue_fields ->> '$.resolutiondate'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('jira', 'jira__issues') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

parsed as (

    select
        *,
        payload -> '$.fields' as issue_fields
    from latest

),

final as (

    select
        source_instance,
        record_id as issue_id,
        payload ->> '$.key' as issue_key,
        issue_fields ->> '$.project.id' as project_id,
        issue_fields ->> '$.project.key' as project_key,
        issue_fields ->> '$.issuetype.id' as issue_type_id,
        issue_fields ->> '$.issuetype.name' as issue_type,
        issue_fields ->> '$.summary' as summary,
        case json_type(issue_fields -> '$.description')
            when 'OBJECT'
                then array_to_string(list_transform(
                        cast(issue_fields -> '$.description.content' as json[]),
                        block -> array_to_string(json_extract_string(block, '$..text'), '')
                    ), chr(10))
            when 'VARCHAR' then issue_fields ->> '$.description'
        end as description,
        case json_type(issue_fields -> '$.environment')
            when 'OBJECT'
                then array_to_string(list_transform(
                        cast(issue_fields -> '$.environment.content' as json[]),
                        block -> array_to_string(json_extract_string(block, '$..text'), '')
                    ), chr(10))
            when 'VARCHAR' then issue_fields ->> '$.environment'
        end as environment,
        issue_fields ->> '$.status.id' as status_id,
        issue_fields ->> '$.status.name' as status_name,
        lower(issue_fields ->> '$.status.statusCategory.key') as status_category_key,
        issue_fields ->> '$.resolution.name' as resolution,
        issue_fields ->> '$.priority.name' as priority,
        -- Cloud identifies users by accountId; Server/DC by name (key)
        coalesce(issue_fields ->> '$.reporter.accountId', issue_fields ->> '$.reporter.name')
            as reporter_account_id,
        issue_fields ->> '$.reporter.emailAddress' as reporter_email,
        issue_fields ->> '$.reporter.displayName' as reporter_display_name,
        coalesce(issue_fields ->> '$.assignee.accountId', issue_fields ->> '$.assignee.name')
            as assignee_account_id,
        issue_fields ->> '$.assignee.emailAddress' as assignee_email,
        issue_fields ->> '$.assignee.displayName' as assignee_display_name,
        issue_fields ->> '$.parent.key' as parent_issue_key,
        coalesce(cast(json_extract_string(issue_fields, '$.labels[*]') as varchar[]), cast([] as varchar[]))
            as labels,
        coalesce(
            cast(json_extract_string(issue_fields, '$.components[*].name') as varchar[]), cast([] as varchar[])
        ) as components,
        issue_fields,
        {{ converted_columns(conversions) }},
        {{ invalid_values('jira__issues', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from parsed

)

select * from final
