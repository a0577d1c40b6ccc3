-- Latest snapshot of every episode, joined to the plan that produced it.
with latest as (
    select *
    from {{ ref('stg_engagement') }}
    qualify row_number() over (partition by episode_id, platform order by age_hours desc) = 1
)
select
    e.episode_id,
    e.channel,
    e.genre,
    e.hook_style,
    e.music_mood,
    e.caption_style,
    l.platform,
    l.age_hours,
    l.views,
    l.likes,
    l.shares
from {{ ref('stg_episodes') }} as e
join latest as l using (episode_id)
