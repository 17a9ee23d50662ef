{#-
    The DORA band (elite, high, medium, low) of a value for a metric, from the `dora_bands` seed of the
    `dora_band_year` var (METRICS.md, "DORA bands"): the first band by rank whose threshold the value
    reaches: `threshold <= value` for deployment_frequency (a minimum), `threshold >= value` for the
    others (a maximum), `threshold > value` where the report says "less than" (is_strict: 24 hours is
    not "less than one day"). A null threshold matches everything (the low band); a null value has no band.
-#}
{% macro dora_band(metric, value) -%}
    {%- set comparison = '<=' if metric == 'deployment_frequency' else '>=' -%}
    (
        select dora_bands.band
        from {{ ref('dora_bands') }} as dora_bands
        where
            dora_bands.year = {{ var('dora_band_year') }}
            and dora_bands.metric = '{{ metric }}'
            and {{ value }} is not null
            and (
                dora_bands.threshold is null
                or (dora_bands.is_strict and dora_bands.threshold > {{ value }})
                or (not dora_bands.is_strict and dora_bands.threshold {{ comparison }} {{ value }})
            )
        order by dora_bands.band_rank
        limit 1
    )
{%- endmacro %}
