with

source as (

    select * from {{ source('config', 'config__team_members') }}

),

final as (

    select distinct
        team_key,
        person_key as person_id,
        name as person_name,
        email,
        lower(email) as email_normalized,
        github_login,
        lower(github_login) as github_login_normalized,
        coalesce(aliases, cast([] as varchar[])) as aliases,
        team_key || ':' || person_key as team_member_id
    from source

)

select * from final
