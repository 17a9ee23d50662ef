{#-
    GitHub Copilot seats billed at extraction: one row per grant (record_id `{assignee id}:{created_at}`; GitHub's
    created_at is when the assignee was last granted access). A cancelled seat carries the first day without it,
    `pending_cancellation_date`; GitHub stops listing it from that date, and its last landed version keeps it.
-#}
{%- set conversions = [
    conversion('assignee_user_id', "payload ->> '$.assignee.id'", 'bigint', required=true),
    conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
    conversion('updated_at', "payload ->> '$.updated_at'", 'timestamp'),
    conversion('pending_cancellation_date', "payload ->> '$.pending_cancellation_date'", 'date'),
    conversion('last_activity_at', "payload ->> '$.last_activity_at'", 'timestamp'),
    conversion('last_authenticated_at', "payload ->> '$.last_authenticated_at'", 'timestamp'),
] -%}

with

source as (

    select * from {{ source('github', 'github__copilot_seats') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        scope as organization,
        record_id as copilot_seat_id,
        {{ converted_columns(conversions) }},
        payload ->> '$.assignee.login' as assignee_login,
        payload ->> '$.assignee.type' as assignee_type,
        payload ->> '$.assigning_team.slug' as assigning_team_slug,
        payload ->> '$.plan_type' as plan_type,
        payload ->> '$.last_activity_editor' as last_activity_editor,
        {{ invalid_values('github__copilot_seats', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
