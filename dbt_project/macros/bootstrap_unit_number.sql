{#-
    The seeded bootstrap draw (METRICS.md "AI impact", "Interval"): which of `units` numbered units a draw
    picks, from DuckDB's hash of one text made of the seed and the draw's position (`key_columns`), so
    every build draws the same. One text is hashed, not hash(a, b, ...): DuckDB's multi-argument hash
    leaves low bits uneven. The modulo is in ubigint (the hash's type): a signed divisor would widen every
    draw to hugeint, many times slower.
-#}
{% macro bootstrap_unit_number(key_columns, units) -%}
    hash(concat_ws(':', {{ var('ai_impact_seed') | int }}, {{ key_columns | join(', ') }}))
    % cast({{ units }} as ubigint) + 1
{%- endmacro %}
