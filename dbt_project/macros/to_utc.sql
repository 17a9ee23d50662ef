{#-
    An ISO-8601 string with an offset or Z (or a timestamptz) as a UTC `timestamp`. `try_cast`: a value that
    is not a timestamp becomes null instead of failing the model (staging records it in `invalid_values`).
-#}
{% macro to_utc(expression) -%}
    (try_cast({{ expression }} as timestamptz) at time zone 'UTC')
{%- endmacro %}
