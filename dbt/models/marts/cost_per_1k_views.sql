-- Spend per thousand views, per channel (views at each post's latest snapshot).
select
    channel,
    count(*) as episodes,
    sum(cost_usd) as cost_usd,
    sum(effective_cost_usd) as effective_cost_usd,
    sum(views) as views,
    case when sum(views) > 0 then 1000 * sum(cost_usd) / sum(views) end as cost_per_1k_views,
    case when sum(views) > 0 then 1000 * sum(effective_cost_usd) / sum(views) end
        as effective_cost_per_1k_views
from {{ ref('episode_performance') }}
group by channel
