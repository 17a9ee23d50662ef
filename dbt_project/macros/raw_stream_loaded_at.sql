{#- When the pipeline last loaded a raw stream (METRICS.md "Data freshness"), for `dbt source freshness`:
    the newest landing file the loader took for the stream (raw._loaded_files.loaded_at). Not the records'
    event times (the demo's are historical) and not their extracted_at: a record unchanged since the last
    load adds no row, so a quiet stream would look stale. Each configured instance of the kind
    (var raw_source_instances, {kind: [names]}) that ever landed the stream counts; the stalest one wins. -#}
{% macro raw_stream_loaded_at(relation) %}
    {%- set kind, stream = relation.identifier.split('__', 1) -%}
    {%- set quoted = [] -%}
    {%- for name in var('raw_source_instances', {}).get(kind, []) -%}
        {%- do quoted.append("'" ~ name | replace("'", "''") ~ "'") -%}
    {%- endfor -%}
    select min(last_loaded_at)
    from (
        select max(loaded_at) as last_loaded_at
        from {{ relation.schema }}._loaded_files
        where stream = '{{ stream }}' and source_instance in ({{ quoted | join(', ') or 'null' }})
        group by source_instance
    )
{% endmacro %}
