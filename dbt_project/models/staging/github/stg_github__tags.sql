{#- A repository's tags: name -> the commit it points to (an annotated tag's commit, not the tag object). -#}
{%- set conversions = [
    conversion('tag_name', 'record_id', 'text', required=true),
    conversion('commit_sha', "payload ->> '$.commit.sha'", 'text', required=true),
] -%}

with

source as (

    select * from {{ source('github', 'github__tags') }}

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
        {{ invalid_values('github__tags', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
