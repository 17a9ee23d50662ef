{#- Keep the latest version of each raw record: newest extraction first, then the latest load; `then_by`
    orders versions that share a landing file (e.g. a source landing one record twice in one file). -#}
{% macro latest_version(then_by=none) -%}
    qualify row_number() over (
        partition by source_instance, scope, record_id
        order by extracted_at desc, loaded_at desc, landing_file desc{% if then_by %}, {{ then_by }}{% endif %}
    ) = 1
{%- endmacro %}
