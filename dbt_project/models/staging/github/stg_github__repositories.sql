{%- set conversions = [
    conversion('repository_id', "payload ->> '$.id'", 'bigint'),
    conversion('repository', "payload ->> '$.full_name'", 'text', required=true),
    conversion('is_private', "payload ->> '$.private'", 'boolean', default='false'),
    conversion('is_archived', "payload ->> '$.archived'", 'boolean', default='false'),
    conversion('is_fork', "payload ->> '$.fork'", 'boolean', default='false'),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp'),
    conversion('pushed_at', "payload ->> '$.pushed_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__repositories') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as organization,
        {{ converted_columns(conversions) }},
        payload ->> '$.owner.login' as owner_login,
        payload ->> '$.name' as repository_name,
        payload ->> '$.default_branch' as default_branch,
        {{ invalid_values('github__repositories', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
