{%- set conversions = [
    conversion('release_id', 'record_id', 'bigint', required=true),
    conversion('is_draft', "payload ->> '$.draft'", 'boolean', default='false'),
    conversion('is_prerelease', "payload ->> '$.prerelease'", 'boolean', default='false'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp'),
    conversion('published_at', "payload ->> '$.published_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__releases') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as repository,
        {{ converted_columns(conversions) }},
        payload ->> '$.tag_name' as tag_name,
        payload ->> '$.name' as release_name,
        payload ->> '$.target_commitish' as target_commitish,
        payload ->> '$.author.login' as author_login,
        {{ invalid_values('github__releases', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
