{#- One row per configured person with their current team's name. Emails stay out of the marts unless the
    config allows them (var expose_person_emails), because the BI snapshot travels further than the
    warehouse. -#}
with

people as (

    select * from {{ ref('people') }}

),

teams as (

    select * from {{ ref('teams') }}

),

final as (

    select
        people.person_id,
        people.person_name,
        people.github_login,
        people.team_key,
        coalesce(teams.team_name, people.team_key) as team_name,
        {% if var('expose_person_emails') -%}
            people.email
        {%- else -%}
            cast(null as varchar) as email
        {%- endif %}
    from people
    left join teams
        on people.team_key = teams.team_key

)

select * from final
