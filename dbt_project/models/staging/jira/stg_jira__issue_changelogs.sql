{#- Jira changelog histories, one row per history item (a history changes one or more fields at once). -#}
{%- set conversions = [
    conversion('issue_id', "coalesce(parent_id, payload ->> '$.issueId')", 'text', required=true),
    conversion('created_at', "payload ->> '$.created'", 'timestamp', required=true),
] -%}

with

source as (

    select * from {{ source('jira', 'jira__issue_changelogs') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

items as (

    select
        *,
        unnest(cast(payload -> '$.items' as json[])) as item,
        generate_subscripts(cast(payload -> '$.items' as json[]), 1) as item_number
    from latest
    where json_type(payload -> '$.items') = 'ARRAY'

),

final as (

    select
        source_instance,
        record_id || ':' || item_number as changelog_item_id,
        record_id as changelog_id,
        {{ converted_columns(conversions) }},
        cast(item_number as integer) as item_number,
        coalesce(payload ->> '$.author.accountId', payload ->> '$.author.name') as author_account_id,
        payload ->> '$.author.emailAddress' as author_email,
        payload ->> '$.author.displayName' as author_display_name,
        item ->> '$.field' as field,
        item ->> '$.fieldId' as field_id,
        item ->> '$.fieldtype' as field_type,
        item ->> '$.from' as from_value,
        item ->> '$.fromString' as from_string,
        item ->> '$.to' as to_value,
        item ->> '$.toString' as to_string,
        coalesce(lower(item ->> '$.field') = 'status', false)
        or coalesce(lower(item ->> '$.fieldId') = 'status', false) as is_status_change,
        {{ invalid_values('jira__issue_changelogs', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from items

)

select * from final
