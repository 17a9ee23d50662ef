with

source as (

    select * from {{ source('config', 'config__service_repositories') }}

),

final as (

    select distinct
        service,
        lower(trim(service)) as service_normalized,
        repository,
        service_key
    from source

)

select * from final
