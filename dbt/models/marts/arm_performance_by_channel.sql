-- Engagement per dollar by channel, plan parameter and value (the policy's context).
select
    channel || '|' || parameter || '=' || value as channel_arm_key,
    channel,
    parameter,
    value,
    count(*) as episodes,
    {{ mean_ci('engagement_per_dollar', 'engagement_per_dollar') }},
    avg(views) as mean_views,
    avg(cost_usd) as mean_cost_usd
from (
    {{ unpivot_arms(ref('episode_performance'),
        ['episode_id', 'channel', 'engagement_per_dollar', 'views', 'cost_usd']) }}
)
group by channel, parameter, value
