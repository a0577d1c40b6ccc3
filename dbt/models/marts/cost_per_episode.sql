-- Spend per episode, by stage (local providers cost 0 and are still counted as calls).
select
    e.episode_id,
    e.channel,
    e.episode_date,
    count(c.request_hash) as provider_calls,
    coalesce(sum(c.cost_usd), 0) as cost_usd,
    coalesce(sum(c.duration_s), 0) as provider_seconds
from {{ ref('stg_episodes') }} as e
left join {{ ref('stg_provider_calls') }} as c using (episode_id)
group by all
