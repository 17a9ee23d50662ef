{#-
    One row per source instance, scope, month, team and measure: the latest landed version. A scope is
    landed whole as one snapshot, so a row can be outdated (removed from the file since); the canonical
    layer keeps only the rows of each scope's latest snapshot (stg_business__snapshots).
-#}
{%- set conversions = [
    conversion('month_start', "(payload ->> '$.month') || '-01T00:00:00Z'", 'timestamp', required=true),
    conversion('team_key', "payload ->> '$.team'", 'text', required=true),
    conversion('measure', "payload ->> '$.measure'", 'text', required=true),
    conversion('measure_value', "payload ->> '$.value'", 'double', required=true),
    conversion('responses', "payload ->> '$.responses'", 'integer'),
    conversion('snapshot_id', "payload ->> '$.snapshot'", 'text', required=true),
] -%}

with

source as (

    select * from {{ source('business', 'business__monthly_measures') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

converted as (

    select
        source_instance,
        scope,
        record_id as measure_row_id,
        payload ->> '$.currency' as currency,
        payload ->> '$.file' as source_file,
        try_cast(payload ->> '$.line' as integer) as source_line,
        {{ converted_columns(conversions) }},
        {{ invalid_values('business__monthly_measures', conversions) }} as invalid_values,
        {{ has_required_values(conversions) }} as has_required_values,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

),

final as (

    select
        source_instance,
        scope,
        measure_row_id,
        cast(month_start as date) as month_start,
        team_key,
        measure,
        measure_value,
        currency,
        responses,
        snapshot_id,
        source_file,
        source_line,
        invalid_values,
        has_required_values,
        is_deleted,
        extracted_at
    from converted

)

select * from final
