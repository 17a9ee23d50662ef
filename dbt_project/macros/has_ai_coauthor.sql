{#-
    True when a commit message has a `Co-authored-by:` trailer naming an AI assistant, or when the
    parsed trailers (JSON list of {key, value}, local git only) do. The tool names are the
    `ai_coauthor_pattern` project variable (a regex; a quote in it is escaped for the SQL string).
-#}
{% macro has_ai_coauthor(message, trailers_json) -%}
    {%- set tools = var('ai_coauthor_pattern') | replace("'", "''") -%}
    (
        coalesce(regexp_matches(
            {{ message }}, '(?im)^\s*co-authored-by:[^\n]*({{ tools }})'
        ), false)
        or coalesce(regexp_matches(
            cast({{ trailers_json }} as varchar),
            '(?i)"key"\s*:\s*"co-authored-by"\s*,\s*"value"\s*:\s*"[^"]*({{ tools }})'
        ), false)
    )
{%- endmacro %}
