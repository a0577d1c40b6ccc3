-- Engagement per dollar by plan parameter and value, over mature episodes of all channels.
select
    parameter || '=' || value as arm_key,
    parameter,
    value,
    count(*) as episodes,
    count(distinct channel) as channels,
    {{ mean_ci('engagement_per_dollar', 'engagement_per_dollar') }},
    avg(views) as mean_views,
    avg(cost_usd) as mean_cost_usd
from (
    {{ unpivot_arms(ref('episode_performance'),
        ['episode_id', 'channel', 'engagement_per_dollar', 'views', 'cost_usd']) }}
)
group by parameter, value
