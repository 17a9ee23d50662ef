{#- Merged pull requests per credited team and week of merge (METRICS.md "AI assistance": a coding
    agent's PRs count for the team it works for), and how many were AI-assisted or agent-authored.
    Read by team adoption (the weekly AI share) and AI impact (PRs merged per engineer-week). -#}
with

pull_requests as (

    select * from {{ ref('fct_pull_requests') }}

),

final as (

    select
        credited_team_key as team_key,
        cast(date_trunc('week', merged_at) as date) as week_start,
        count(*) as prs_merged,
        count(*) filter (where ai_assistance != 'none') as ai_prs_merged
    from pull_requests
    where is_merged and credited_team_key is not null
    group by all

)

select * from final
