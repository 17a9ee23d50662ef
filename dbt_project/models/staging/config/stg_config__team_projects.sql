with

source as (

    select * from {{ source('config', 'config__team_projects') }}

),

final as (

    select distinct
        team_key,
        project_key,
        team_key || ':' || project_key as team_project_id
    from source

)

select * from final
