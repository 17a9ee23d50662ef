with

source as (

    select * from {{ source('config', 'config__teams') }}

),

final as (

    select distinct
        team_key,
        team_name,
        ai_adoption_date
    from source

)

select * from final
