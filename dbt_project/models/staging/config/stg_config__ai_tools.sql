{#-
    The config's `ai_tools` entries as written: a member's own period, or a team's (every member while in the
    team); UTC dates, valid_to exclusive, null = still held. Validated when the config loads.
-#}
with

source as (

    select * from {{ source('config', 'config__ai_tools') }}

),

final as (

    select
        'ai_tools[' || entry_index || ']' as ai_tool_entry_id,
        person_key as person_id,
        team_key,
        tool,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to
    from source

)

select * from final
