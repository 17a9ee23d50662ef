{#-
    One row per pull request: which AI-assistance signals fired, and the class they give (METRICS.md
    "AI assistance"). Each signal's list is a project variable, so a signal is switched off with [].
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

-- (a) a commit of the pull request has a Co-authored-by trailer naming an assistant
coauthored as (

    select
        pull_request_key,
        bool_or({{ has_ai_coauthor('message', 'null') }}) as has_ai_coauthor_commit
    from pull_request_commits
    group by pull_request_key

),

pull_request_labels as (

    select
        pull_request_key,
        unnest(labels) as label
    from pull_requests

),

-- (d) one of its labels is an AI label
labelled as (

    select
        pull_request_key,
        bool_or({{ matches_any('label', var('ai_labels'), 'equals') }}) as has_ai_label
    from pull_request_labels
    group by pull_request_key

),

signals as (

    select
        pull_requests.pull_request_key,
        coalesce(coauthored.has_ai_coauthor_commit, false) as has_ai_coauthor_commit,
        -- (b) an agent's bot account opened it; (c) its head branch; (e) its description
        {{ matches_any('pull_requests.author_login', var('ai_agent_logins'), 'equals') }} as is_agent_authored,
        {{ matches_any('pull_requests.head_ref', var('ai_branch_prefixes'), 'prefix') }} as has_ai_branch_prefix,
        coalesce(labelled.has_ai_label, false) as has_ai_label,
        {{ matches_any('pull_requests.body', var('ai_body_markers'), 'contains') }} as has_ai_body_marker
    from pull_requests
    left join coauthored
        on pull_requests.pull_request_key = coauthored.pull_request_key
    left join labelled
        on pull_requests.pull_request_key = labelled.pull_request_key

),

final as (

    select
        pull_request_key,
        is_agent_authored,
        has_ai_body_marker,
        has_ai_branch_prefix,
        has_ai_coauthor_commit,
        has_ai_label,
        -- the names of the signals that fired, alphabetical, comma-separated ('' when none)
        concat_ws(
            ',',
            case when is_agent_authored then 'agent_author' end,
            case when has_ai_body_marker then 'body_marker' end,
            case when has_ai_branch_prefix then 'branch_prefix' end,
            case when has_ai_coauthor_commit then 'coauthor_trailer' end,
            case when has_ai_label then 'label' end
        ) as ai_signals,
        case
            when is_agent_authored then 'agent_authored'
            when has_ai_body_marker or has_ai_branch_prefix or has_ai_coauthor_commit or has_ai_label
                then 'assisted'
            else 'none'
        end as ai_assistance
    from signals

)

select * from final
