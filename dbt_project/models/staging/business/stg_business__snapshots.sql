{#- The latest snapshot of each business scope: which landing of its files is current. -#}
with

source as (

    select * from {{ source('business', 'business__snapshots') }}

),

latest as (

    select * from source
    {{ latest_version() }}

),

final as (

    select
        source_instance,
        record_id as scope,
        payload ->> '$.snapshot' as snapshot_id,
        try_cast(payload ->> '$.rows' as integer) as rows_landed,
        try_cast(payload ->> '$.quarantined' as integer) as rows_quarantined,
        cast(json_extract_string(payload, '$.files[*].path') as varchar[]) as source_files,
        is_deleted,
        {{ to_utc('extracted_at') }} as extracted_at
    from latest

)

select * from final
