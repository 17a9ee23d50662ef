{#-
    Every staging view that exposes `invalid_values` (it declares conversions) is one of the staging models
    `dq_invalid_values` unions: a new staging model cannot hide its unusable values by being left off the list.
-#}
-- depends_on: {{ ref('dq_invalid_values') }}
{%- set unioned = [] -%}
{%- if execute -%}
    {%- for node_id in graph.nodes['model.delivery_warehouse.dq_invalid_values'].depends_on.nodes -%}
        {%- do unioned.append(node_id.split('.')[-1]) -%}
    {%- endfor -%}
{%- endif %}

select table_name as staging_model_not_in_dq_invalid_values
from information_schema.columns
where
    table_schema = 'staging'
    and column_name = 'invalid_values'
    and table_name not in ('' {%- for name in unioned %}, '{{ name }}'{% endfor %})
