{#- Mean of `expr` with a 95 % confidence interval (normal approximation, 1.96 standard
    errors); NULL bounds below two observations. -#}
{% macro mean_ci(expr, prefix) -%}
    avg({{ expr }}) as {{ prefix }},
    stddev_samp({{ expr }}) as {{ prefix }}_sd,
    case when count({{ expr }}) > 1
        then avg({{ expr }}) - 1.96 * stddev_samp({{ expr }}) / sqrt(count({{ expr }})) end
        as {{ prefix }}_ci_low,
    case when count({{ expr }}) > 1
        then avg({{ expr }}) + 1.96 * stddev_samp({{ expr }}) / sqrt(count({{ expr }})) end
        as {{ prefix }}_ci_high
{%- endmacro %}

{#- The plan parameters an analyst can steer (the policy's arms), as (parameter, value) rows. -#}
{% macro plan_parameters() -%}
    {{ return(['genre', 'hook_style', 'voice', 'speaking_rate_wpm', 'music_mood',
               'target_seconds', 'caption_style', 'posting_hour']) }}
{%- endmacro %}

{% macro unpivot_arms(relation, keep) -%}
    unpivot (
        select
            {{ keep | join(', ') }},
            {%- for p in plan_parameters() %}
            cast({{ p }} as varchar) as {{ p }}{{ ',' if not loop.last }}
            {%- endfor %}
        from {{ relation }}
        where mature
    )
    on {{ plan_parameters() | join(', ') }}
    into name parameter value value
{%- endmacro %}
