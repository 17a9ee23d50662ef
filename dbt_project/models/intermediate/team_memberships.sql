{#- Team memberships with their validity (UTC dates, valid_to exclusive; null = open). -#}
with

team_members as (

    select * from {{ ref('stg_config__team_members') }}

),

final as (

    select distinct
        team_member_id as team_membership_id,
        team_key,
        person_id,
        valid_from,
        valid_to
    from team_members

)

select * from final
