-- Per channel and calendar day: episodes, spend, views and publishing outcomes.
select
    channel || '|' || cast(episode_date as varchar) as channel_day,
    channel,
    episode_date,
    count(*) as episodes,
    sum(cost_usd) as cost_usd,
    sum(effective_cost_usd) as effective_cost_usd,
    sum(views) as views,
    sum(likes) as likes,
    sum(posts) as posts,
    sum(posts_published) as posts_published,
    sum(posts_failed) as posts_failed,
    count(*) filter (where status = 'failed') as episodes_failed,
    case when sum(views) > 0 then 1000 * sum(cost_usd) / sum(views) end as cost_per_1k_views
from {{ ref('episode_performance') }}
group by channel, episode_date
