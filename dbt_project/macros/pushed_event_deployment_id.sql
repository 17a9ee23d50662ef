{#-
    The deployment_id of a pushed deployment event (deployments_from_pushed_events): a negative 62-bit hash of
    the events source and the event's `id`, so it never meets a GitHub id (positive). Incidents naming a pushed
    deployment (incidents_from_pushed_events) compute the same id from the same two values.
-#}
{% macro pushed_event_deployment_id(source_instance, event_id) -%}
    (-1 - (hash({{ source_instance }} || ':' || {{ event_id }}) >> 2)::bigint)
{%- endmacro %}
