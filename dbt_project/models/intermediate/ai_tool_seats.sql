{#-
    Who held which AI tool seat when (METRICS.md "AI tool seats"), from the config's `ai_tools` and GitHub's
    Copilot seats (tool `copilot`). The rule: the union of both sources, per person and tool; a day both cover
    counts once and is labelled `config` (the organisation's own record wins the label, never the days). A
    team's entry covers each member while in the team. Rows are split where the person's team changes
    (team_key = their team on those days, METRICS.md "A person's team at a time T") and where the source
    label changes; touching or overlapping periods of one label and team merge into one row. A seat whose
    GitHub login matches no configured person keeps a row with a null person_id and its github_login.
-#}
with

config_entries as (

    select * from {{ ref('stg_config__ai_tools') }}

),

team_members as (

    select * from {{ ref('stg_config__team_members') }}

),

copilot_seats as (

    select * from {{ ref('stg_github__copilot_seats') }}

),

identities as (

    select * from {{ ref('identities') }}

),

member_periods as (

    select
        person_id,
        cast(null as varchar) as github_login,
        cast(null as bigint) as github_user_id,
        tool,
        valid_from,
        valid_to,
        'config' as source
    from config_entries
    where person_id is not null

),

team_periods as (

    -- a team's entry: each member entry of the team, within its membership dates
    select
        team_members.person_id,
        cast(null as varchar) as github_login,
        cast(null as bigint) as github_user_id,
        config_entries.tool,
        greatest(config_entries.valid_from, coalesce(team_members.valid_from, config_entries.valid_from))
            as valid_from,
        case
            when config_entries.valid_to is null then team_members.valid_to
            when team_members.valid_to is null then config_entries.valid_to
            else least(config_entries.valid_to, team_members.valid_to)
        end as valid_to,
        'config' as source
    from config_entries
    inner join team_members
        on config_entries.team_key = team_members.team_key

),

api_periods as (

    select
        identities.person_id,
        copilot_seats.assignee_login as github_login,
        copilot_seats.assignee_user_id as github_user_id,
        'copilot' as tool,
        cast(copilot_seats.created_at as date) as valid_from,
        copilot_seats.pending_cancellation_date as valid_to,
        'copilot_api' as source
    from copilot_seats
    left join identities
        on
            identities.identity_type = 'github_login'
            and lower(trim(copilot_seats.assignee_login)) = identities.identity_value
    where copilot_seats.has_required_values and not copilot_seats.is_deleted

),

periods as (

    select
        *,
        coalesce('person:' || person_id, 'github_user:' || github_user_id) as holder_key
    from (
        select * from member_periods
        union all
        select * from team_periods
        union all
        select * from api_periods
    ) as all_periods
    where valid_to is null or valid_from < valid_to

),

holders as (

    select distinct
        holder_key,
        tool,
        person_id
    from periods

),

boundaries as (

    -- every date where what a holder has may change: a period's ends, the person's team changes
    select
        holder_key,
        tool,
        valid_from as boundary
    from periods
    union
    select
        holder_key,
        tool,
        valid_to as boundary
    from periods
    where valid_to is not null
    union
    select
        holders.holder_key,
        holders.tool,
        unnest([team_members.valid_from, team_members.valid_to]) as boundary
    from holders
    inner join team_members
        on holders.person_id = team_members.person_id

),

segments as (

    select
        holder_key,
        tool,
        boundary as segment_from,
        lead(boundary) over (partition by holder_key, tool order by boundary) as segment_to
    from boundaries
    where boundary is not null

),

covered_segments as (

    select
        segments.holder_key,
        segments.tool,
        segments.segment_from,
        segments.segment_to,
        any_value(periods.person_id) as person_id,
        max(periods.github_login) as github_login,
        case when bool_or(periods.source = 'config') then 'config' else 'copilot_api' end as source
    from segments
    inner join periods
        on
            segments.holder_key = periods.holder_key
            and segments.tool = periods.tool
            and segments.segment_from >= periods.valid_from
            and (periods.valid_to is null or segments.segment_from < periods.valid_to)
    group by segments.holder_key, segments.tool, segments.segment_from, segments.segment_to

),

team_segments as (

    select
        covered_segments.*,
        team_members.team_key
    from covered_segments
    left join team_members
        on
            covered_segments.person_id = team_members.person_id
            and (team_members.valid_from is null or covered_segments.segment_from >= team_members.valid_from)
            and (team_members.valid_to is null or covered_segments.segment_from < team_members.valid_to)

),

previous as (

    select
        *,
        lag(segment_to) over (partition by holder_key, tool order by segment_from) as previous_segment_to,
        lag(source) over (partition by holder_key, tool order by segment_from) as previous_source,
        lag(team_key) over (partition by holder_key, tool order by segment_from) as previous_team_key
    from team_segments

),

numbered as (

    -- a new row starts unless the segment continues the previous one with the same label and team
    select
        *,
        sum(
            case
                when
                    previous_segment_to = segment_from
                    and previous_source = source
                    and previous_team_key is not distinct from team_key
                    then 0
                else 1
            end
        ) over (partition by holder_key, tool order by segment_from rows unbounded preceding) as row_number_in_holder
    from previous

),

final as (

    select
        holder_key || ':' || tool || ':' || strftime(min(segment_from), '%Y-%m-%d') as ai_tool_seat_id,
        any_value(person_id) as person_id,
        case when any_value(person_id) is null then max(github_login) end as github_login,
        any_value(team_key) as team_key,
        tool,
        min(segment_from) as valid_from,
        case when bool_or(segment_to is null) then null else max(segment_to) end as valid_to,
        any_value(source) as source
    from numbered
    group by holder_key, tool, row_number_in_holder

)

select * from final
