{#-
    Which pull requests work on which work items (METRICS.md "Work item <-> pull request link"): a pull
    request links every existing work item whose key appears as a whole word, case-insensitively, in its
    title, its head branch name or one of its commit messages. link_source is the first of title, branch,
    commit that mentions the key. Candidate keys look like `[A-Za-z][A-Za-z0-9]+-[0-9]+`.
-#}
with

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

pull_request_commits as (

    select * from {{ ref('pull_request_commits') }}

),

work_items as (

    select * from {{ ref('work_items') }}

),

texts as (

    select
        pull_request_key,
        1 as source_rank,
        'title' as link_source,
        title as link_text
    from pull_requests
    union all
    select
        pull_request_key,
        2 as source_rank,
        'branch' as link_source,
        head_ref as link_text
    from pull_requests
    union all
    select
        pull_request_key,
        3 as source_rank,
        'commit' as link_source,
        message as link_text
    from pull_request_commits

),

mentions as (

    select distinct
        pull_request_key,
        source_rank,
        link_source,
        upper(unnest(regexp_extract_all(link_text, '\b([A-Za-z][A-Za-z0-9]+-[0-9]+)\b', 1))) as mentioned_key
    from texts
    where link_text is not null

),

first_mentions as (

    select
        pull_request_key,
        mentioned_key,
        link_source
    from mentions
    qualify row_number() over (partition by pull_request_key, mentioned_key order by source_rank) = 1

),

final as (

    select
        work_items.work_item_id,
        work_items.work_item_key,
        first_mentions.pull_request_key,
        first_mentions.link_source
    from first_mentions
    inner join work_items
        on first_mentions.mentioned_key = upper(work_items.work_item_key)

)

select * from final
