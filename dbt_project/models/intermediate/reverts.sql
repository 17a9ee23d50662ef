{#-
    Every revert found in a repository (METRICS.md, "Reverts"), one row per reverting commit and the
    commit it reverts, both full shas of the same repository:
    - commit_message: a commit whose message says "This reverts commit <sha>" (git revert's own words,
      also GitHub's revert button); the named sha (7-40 hex digits) is resolved to a commit of the same
      repository by prefix; reverted_at is the reverting commit's committed_at;
    - pull_request: a merged pull request titled "Revert ..." whose body says "Reverts [owner/repo]#N"
      (GitHub's revert button), else whose title is Revert "<title>" of an earlier merged pull request
      of the repository (the latest one merged before it was opened); its merge commit reverts that
      pull request's merge commit; reverted_at is its merged_at.
    A revert found both ways keeps the pull request row. A reference to another repository, or to a
    sha or pull request the warehouse does not know, is not a revert here.
-#}
{#- GitHub's revert button writes "Reverts owner/repo#N"; the repository part is optional -#}
{%- set reverts_line = "'(?i)\\breverts\\s+([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)?#([0-9]+)'" %}
with

commits as (

    select * from {{ ref('commits') }}

),

pull_requests as (

    select * from {{ ref('pull_requests') }}

),

named_shas as (

    select
        repository,
        commit_sha as reverting_commit_sha,
        committed_at as reverted_at,
        lower(unnest(regexp_extract_all(message, 'This reverts commit ([0-9a-fA-F]{7,40})', 1))) as named_sha
    from commits
    where contains(message, 'This reverts commit ')

),

commit_reverts as (

    select
        named_shas.repository,
        named_shas.reverting_commit_sha,
        reverted.commit_sha as reverted_commit_sha,
        named_shas.reverted_at,
        'commit_message' as detected_from
    from named_shas
    inner join commits as reverted
        on
            named_shas.repository = reverted.repository
            -- the first 7 hex digits are an equi-join key, the rest a prefix match
            and left(named_shas.named_sha, 7) = left(reverted.commit_sha, 7)
            and starts_with(reverted.commit_sha, named_shas.named_sha)
    where reverted.commit_sha != named_shas.reverting_commit_sha

),

merged as (

    select * from pull_requests
    where merged_at is not null and merge_commit_sha is not null

),

revert_pull_requests as (

    select
        repository,
        pull_request_number,
        created_at,
        merged_at,
        merge_commit_sha,
        regexp_extract(title, '^[Rr]evert "(.+)"$', 1) as reverted_title,
        regexp_extract(body, {{ reverts_line }}, 1) as body_repository,
        try_cast(nullif(regexp_extract(body, {{ reverts_line }}, 2), '') as integer) as body_number
    from merged
    where regexp_matches(title, '^[Rr]evert\b')

),

-- a body naming another repository's pull request reverts nothing here (no title fallback either)
same_repository_reverts as (

    select * from revert_pull_requests
    where lower(coalesce(nullif(body_repository, ''), repository)) = lower(repository)

),

-- the pull request a revert names in its body, else the latest earlier one its title quotes
reverted_pull_requests as (

    select
        same_repository_reverts.repository,
        same_repository_reverts.merge_commit_sha as reverting_commit_sha,
        reverted.merge_commit_sha as reverted_commit_sha,
        same_repository_reverts.merged_at as reverted_at,
        'pull_request' as detected_from
    from same_repository_reverts
    inner join merged as reverted
        on
            same_repository_reverts.repository = reverted.repository
            and same_repository_reverts.pull_request_number != reverted.pull_request_number
            and case
                when same_repository_reverts.body_number is not null
                    then same_repository_reverts.body_number = reverted.pull_request_number
                else
                    same_repository_reverts.reverted_title = reverted.title
                    and same_repository_reverts.created_at > reverted.merged_at
            end
    qualify
        row_number() over (
            partition by same_repository_reverts.repository, same_repository_reverts.pull_request_number
            order by reverted.merged_at desc
        ) = 1

),

candidates as (

    select * from reverted_pull_requests
    union all
    select * from commit_reverts

),

final as (

    select
        repository || '@' || reverting_commit_sha || ':' || reverted_commit_sha as revert_id,
        repository,
        reverting_commit_sha,
        reverted_commit_sha,
        reverted_at,
        detected_from
    from candidates
    qualify
        row_number() over (
            partition by repository, reverting_commit_sha, reverted_commit_sha
            order by detected_from = 'pull_request' desc
        ) = 1

)

select * from final
