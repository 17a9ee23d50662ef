{#- Duration in hours (double) from start_at to end_at. -#}
{% macro hours_between(start_at, end_at) -%}
    ((epoch_ms({{ end_at }}) - epoch_ms({{ start_at }})) / 3600000.0)
{%- endmacro %}
