{#- Keep the latest version of each raw record: newest extraction first, then the latest load. -#}
{% macro latest_version() -%}
    qualify row_number() over (
        partition by source_instance, scope, record_id
        order by extracted_at desc, loaded_at desc, landing_file desc
    ) = 1
{%- endmacro %}
