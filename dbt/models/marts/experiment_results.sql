-- Per experiment and arm: engagement per dollar with a 95 % CI and the lift over the
-- experiment's mean (lift = arm mean / experiment mean - 1; its CI scales the arm's CI).
with arms as (
    select
        experiment_id,
        arm_id,
        count(*) as episodes,
        count(distinct channel) as channels,
        {{ mean_ci('engagement_per_dollar', 'engagement_per_dollar') }},
        avg(views) as mean_views,
        avg(cost_usd) as mean_cost_usd,
        {%- for p in plan_parameters() %}
        any_value({{ p }}) as {{ p }},
        {%- endfor %}
        min(episode_date) as first_date,
        max(episode_date) as last_date
    from {{ ref('episode_performance') }}
    where mature
    group by experiment_id, arm_id
),
experiments as (
    select experiment_id, avg(engagement_per_dollar) as experiment_mean, count(*) as experiment_episodes
    from {{ ref('episode_performance') }}
    where mature
    group by experiment_id
)
select
    a.experiment_id || '|' || a.arm_id as experiment_arm_key,
    a.*,
    x.experiment_mean,
    x.experiment_episodes,
    case when x.experiment_mean > 0 then a.engagement_per_dollar / x.experiment_mean - 1 end
        as lift,
    case when x.experiment_mean > 0 then a.engagement_per_dollar_ci_low / x.experiment_mean - 1 end
        as lift_ci_low,
    case when x.experiment_mean > 0 then a.engagement_per_dollar_ci_high / x.experiment_mean - 1 end
        as lift_ci_high
from arms as a
join experiments as x using (experiment_id)
