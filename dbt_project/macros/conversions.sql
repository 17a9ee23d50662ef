{#-
    Staging conversions that cannot fail. A staging model declares each raw value it converts once:

        {%- set conversions = [
            conversion('pull_request_id', 'record_id', 'bigint', required=true),
            conversion('created_at', "payload ->> '$.created_at'", 'timestamp', required=true),
            conversion('is_draft', "payload ->> '$.draft'", 'boolean', default='false'),
        ] -%}

    then selects `{{ converted_columns(conversions) }}` (one `try_` cast per column: a value that does not
    convert becomes null), `{{ invalid_values(stream, conversions) }} as invalid_values` (the values it could
    not use, read by `dq_invalid_values`) and, when a conversion is required, `{{ has_required_values(conversions) }}
    as has_required_values` (the canonical layer keeps only those records).
    Types: timestamp (UTC, via `to_utc`), date (`YYYY-MM-DD`), bigint, integer, double, boolean, text (no cast:
    only `required`).
-#}

{#- One converted column: `value` (SQL over the raw row) as `type`; `default` replaces a missing value. -#}
{% macro conversion(column, value, type, required=false, default=none) -%}
    {{- return({'column': column, 'value': value, 'type': type, 'required': required, 'default': default}) -}}
{%- endmacro %}

{#- The value converted to the type, null when it does not convert (never an error). -#}
{% macro try_convert(value, type) -%}
    {%- if type == 'timestamp' -%}
        {{ to_utc(value) }}
    {%- elif type == 'text' -%}
        ({{ value }})
    {%- elif type in ('date', 'bigint', 'integer', 'double', 'boolean') -%}
        try_cast({{ value }} as {{ type }})
    {%- else -%}
        {{ exceptions.raise_compiler_error('conversion type must be timestamp, date, bigint, integer, double, boolean or text, not ' ~ type) }}
    {%- endif -%}
{%- endmacro %}

{#- Why a value was not used, by type. -#}
{% macro conversion_reason(type) -%}
    {{- return({
        'timestamp': 'not a timestamp',
        'date': 'not a date',
        'bigint': 'not an integer',
        'integer': 'not an integer',
        'double': 'not a number',
        'boolean': 'not a boolean',
        'text': 'not text',
    }[type]) -}}
{%- endmacro %}

{#- The select-list entries `<converted value> as <column>`, comma-separated. -#}
{% macro converted_columns(conversions) -%}
    {%- for conversion in conversions -%}
        {%- if not loop.first %}
        {% endif -%}
        {%- if conversion.default is not none -%}
            coalesce({{ try_convert(conversion.value, conversion.type) }}, {{ conversion.default }})
        {%- else -%}
            {{ try_convert(conversion.value, conversion.type) }}
        {%- endif %} as {{ conversion.column }}{{ ',' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#-
    The values of this raw row that staging could not use, as a list (empty when all converted) of
    struct(stream, scope, record_id, column_name, raw_value, reason, is_record_excluded): a present value
    that does not convert ('not a timestamp', 'not an integer', ...), or a required value that is missing
    ('missing required value'; JSON null counts as missing). is_record_excluded: the column is required, so
    the canonical layer drops the whole record. Reads the raw row's `scope` and `record_id`.
-#}
{% macro invalid_values(stream, conversions) -%}
    list_filter([
        {%- for conversion in conversions %}
            {
                'stream': '{{ stream }}',
                'scope': scope,
                'record_id': record_id,
                'column_name': '{{ conversion.column }}',
                'raw_value': cast({{ conversion.value }} as varchar),
                'reason': case
                    when ({{ conversion.value }}) is null
                        then {{ "'missing required value'" if conversion.required else 'null' }}
                    when {{ try_convert(conversion.value, conversion.type) }} is null
                        then '{{ conversion_reason(conversion.type) }}'
                end,
                'is_record_excluded': {{ 'true' if conversion.required else 'false' }}
            }{{ ',' if not loop.last }}
        {%- endfor %}
    ], invalid_value -> invalid_value.reason is not null)
{%- endmacro %}

{#- True when every required conversion has a value (the canonical layer keeps only these records). -#}
{% macro has_required_values(conversions) -%}
    {%- set required = conversions | selectattr('required') | list -%}
    {%- if required -%}
        (
            {%- for conversion in required %}
                {{ try_convert(conversion.value, conversion.type) }} is not null{{ ' and' if not loop.last }}
            {%- endfor %}
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
