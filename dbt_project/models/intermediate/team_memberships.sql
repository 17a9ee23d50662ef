with

team_members as (

    select * from {{ ref('stg_config__team_members') }}

),

final as (

    select distinct
        team_member_id as team_membership_id,
        team_key,
        person_id
    from team_members

)

select * from final
