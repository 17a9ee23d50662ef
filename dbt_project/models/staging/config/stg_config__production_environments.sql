with

source as (

    select * from {{ source('config', 'config__production_environments') }}

),

final as (

    select distinct environment
    from source

)

select * from final
