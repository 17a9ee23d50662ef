{#-
    Canonical monthly business measures (METRICS.md "Investment"): one row per month, team (or `*`, the
    org's unallocated amounts) and measure, from the latest snapshot of every business scope. A row of an
    older snapshot (since removed from its file) is left out; so is a row staging could not convert. The
    same month/team/measure from two business sources is a conflict: kept with a null value and
    is_conflicting, so the mart shows why it has no number instead of adding both.
-#}
with

measures as (

    select * from {{ ref('stg_business__monthly_measures') }}

),

snapshots as (

    select * from {{ ref('stg_business__snapshots') }}

),

current_rows as (

    select measures.*
    from measures
    inner join snapshots
        on
            measures.source_instance = snapshots.source_instance
            and measures.scope = snapshots.scope
            and measures.snapshot_id = snapshots.snapshot_id
    where measures.has_required_values and not measures.is_deleted

),

final as (

    select
        team_key || ':' || strftime(month_start, '%Y-%m') || ':' || measure as business_measure_id,
        month_start,
        team_key,
        measure,
        count(*) > 1 as is_conflicting,
        case when count(*) = 1 then any_value(measure_value) end as measure_value,
        case when count(*) = 1 then any_value(responses) end as responses,
        case when count(*) = 1 then any_value(currency) end as currency,
        string_agg(source_instance || '/' || scope, ', ' order by source_instance, scope) as reported_by
    from current_rows
    group by month_start, team_key, measure

)

select * from final
