{#-
    Issue links as listed on each issue (`fields.issuelinks`), one row per issue and link. On issue A a
    link with `inwardIssue` B reads "A <type.inward> B" (e.g. A "is caused by" B); with `outwardIssue`
    B it reads "A <type.outward> B".
-#}
with

source as (

    select * from {{ source('jira', 'jira__issues') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

links as (

    select
        source_instance,
        record_id as issue_id,
        payload ->> '$.key' as issue_key,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at,
        unnest(cast(payload -> '$.fields.issuelinks' as json[])) as link
    from latest
    where json_type(payload -> '$.fields.issuelinks') = 'ARRAY'

),

final as (

    select
        source_instance,
        issue_id,
        issue_key,
        link ->> '$.id' as issue_link_id,
        link ->> '$.type.name' as link_type_name,
        case when json_exists(link, '$.inwardIssue') then 'inward' else 'outward' end as link_direction,
        case
            when json_exists(link, '$.inwardIssue') then link ->> '$.type.inward'
            else link ->> '$.type.outward'
        end as link_description,
        coalesce(link ->> '$.inwardIssue.id', link ->> '$.outwardIssue.id') as linked_issue_id,
        coalesce(link ->> '$.inwardIssue.key', link ->> '$.outwardIssue.key') as linked_issue_key,
        is_deleted,
        extracted_at
    from links

)

select * from final
