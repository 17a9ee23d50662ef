{#- An ISO-8601 string with an offset or Z (or a timestamptz) as a UTC `timestamp`. -#}
{% macro to_utc(expression) -%}
    (cast({{ expression }} as timestamptz) at time zone 'UTC')
{%- endmacro %}
