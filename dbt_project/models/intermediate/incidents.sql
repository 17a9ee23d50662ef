{#-
    Canonical incidents (METRICS.md "Incidents"): one row per PagerDuty incident and per pushed incident event
    (docs/EVENTS.md), with its repository, team, times and explicit cause. Every later rule (attribution to a
    deployment, production failure, recovery) reads this model and does not care where an incident came from;
    incident_source says where.
-#}
with

from_pagerduty as (

    select * from {{ ref('incidents_from_pagerduty') }}

),

from_pushed_events as (

    select * from {{ ref('incidents_from_pushed_events') }}

),

final as (

    select * from from_pagerduty
    union all by name
    select * from from_pushed_events

)

-- union by name: the sources' columns are listed (and documented) once, on this model
select * from final  -- noqa: AM04
