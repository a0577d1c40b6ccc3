{#- A column of `relation` if it exists, else a typed NULL: the warehouse may gain columns
    (e.g. episodes.arm_id, episodes.failed_stage) and dbt must work before and after. -#}
{% macro optional_column(relation, name, data_type) -%}
    {%- if execute -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- if name | lower in names -%}
            {{ name }}
        {%- else -%}
            cast(null as {{ data_type }})
        {%- endif -%}
    {%- else -%}
        cast(null as {{ data_type }})
    {%- endif -%}
{%- endmacro %}
