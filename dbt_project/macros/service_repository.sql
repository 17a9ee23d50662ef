{#-
    The repository a service runs (METRICS.md "Incidents"), one row per key of `relation`, and the
    configured service (service_key) when a named services entry matched: the config's services map first (a match on `service_id` before one on `service_name`), then the repository whose
    `owner/name`, then whose name, equals the service name (ignoring case); ties go to the first
    repository by name. The calling model must import `service_repositories`
    (stg_config__service_repositories) and `repositories` as CTEs of those names. `service_id` is
    optional: a source without service ids matches by name only.
-#}
{% macro service_repository(relation, key_columns, service_name, service_id=none) -%}
    {%- set keys = key_columns | join(', ') -%}
    {%- set name = 'lower(trim(' ~ relation ~ '.' ~ service_name ~ '))' -%}
    {%- set id = 'lower(' ~ relation ~ '.' ~ service_id ~ ')' if service_id else none -%}
    select
        {{ keys }},
        repository,
        service_key
    from (
        select
            {% for key in key_columns %}{{ relation }}.{{ key }}, {% endfor %}
            service_repositories.repository,
            service_repositories.service_key,
            {% if id -%}
                case when service_repositories.service_normalized = {{ id }} then 1 else 2 end
            {%- else -%}
                2
            {%- endif %} as match_rank
        from {{ relation }}
        inner join service_repositories
            on
                {% if id %}service_repositories.service_normalized = {{ id }} or {% endif -%}
                service_repositories.service_normalized = {{ name }}
        union all
        select
            {% for key in key_columns %}{{ relation }}.{{ key }}, {% endfor %}
            repositories.repository,
            null::varchar as service_key,
            case when lower(repositories.repository) = {{ name }} then 3 else 4 end as match_rank
        from {{ relation }}
        inner join repositories
            on
                lower(repositories.repository) = {{ name }}
                or lower(repositories.repository_name) = {{ name }}
    ) as candidates
    qualify row_number() over (partition by {{ keys }} order by match_rank, repository) = 1
{%- endmacro %}
