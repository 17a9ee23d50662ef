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
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to,
        -- a person may be listed twice in one team with different ranges: the start date tells them apart
        team_key || ':' || person_key
        || coalesce(':' || strftime(cast(valid_from as date), '%Y-%m-%d'), '') as team_member_id
    from source

)

select * from final
