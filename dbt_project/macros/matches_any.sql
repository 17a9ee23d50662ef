{#-
    True when `expr` matches any of `values` (a list project variable, e.g. var('ai_labels')), ignoring
    case: `how` is `equals`, `prefix` (starts with) or `contains` (substring). Values are plain text,
    not patterns. An empty list matches nothing (a signal switched off); a null `expr` matches nothing.
-#}
{% macro matches_any(expr, values, how) -%}
    {%- if how not in ('equals', 'prefix', 'contains') -%}
        {{ exceptions.raise_compiler_error("matches_any: how must be equals, prefix or contains, got " ~ how) }}
    {%- endif -%}
    {%- if values | length == 0 -%}
        false
    {%- else -%}
        coalesce((
            {%- for value in values -%}
                {%- set literal = "'" ~ (value | lower | replace("'", "''")) ~ "'" -%}
                {%- if how == 'equals' -%}
                    lower({{ expr }}) = {{ literal }}
                {%- elif how == 'prefix' -%}
                    starts_with(lower({{ expr }}), {{ literal }})
                {%- else -%}
                    contains(lower({{ expr }}), {{ literal }})
                {%- endif -%}
                {{ ' or ' if not loop.last }}
            {%- endfor -%}
        ), false)
    {%- endif -%}
{%- endmacro %}
