-- Posts per platform, calendar day of the episode and publishing state (quota views).
select
    u.platform || '|' || cast(e.episode_date as varchar) || '|' || u.state as platform_day_state,
    u.platform,
    e.episode_date,
    u.state,
    count(*) as uploads,
    count(distinct u.account) as accounts
from {{ ref('stg_uploads') }} as u
join {{ ref('stg_episodes') }} as e using (episode_id)
group by u.platform, e.episode_date, u.state
