-- Spend per episode (local providers cost 0 and are still counted as calls).
with calls as (
    select
        episode_id,
        count(*) as provider_calls,
        count(*) filter (where cost_usd > 0) as paid_calls,
        sum(cost_usd) as cost_usd,
        sum(duration_s) as provider_seconds,
        sum(cost_usd) filter (where stage = 'story') as story_cost_usd,
        sum(cost_usd) filter (where stage in ('speech', 'narration')) as speech_cost_usd,
        sum(cost_usd) filter (where stage in ('images', 'scene_images')) as images_cost_usd,
        sum(cost_usd) filter (where stage in ('clips', 'scene_clips')) as clips_cost_usd,
        sum(cost_usd) filter (where stage = 'music') as music_cost_usd
    from {{ ref('stg_provider_calls') }}
    group by episode_id
)
select
    e.episode_id,
    e.channel,
    e.episode_date,
    coalesce(c.provider_calls, 0) as provider_calls,
    coalesce(c.paid_calls, 0) as paid_calls,
    coalesce(c.cost_usd, 0) as cost_usd,
    greatest(coalesce(c.cost_usd, 0), {{ var('cost_floor_usd') }}) as effective_cost_usd,
    coalesce(c.provider_seconds, 0) as provider_seconds,
    coalesce(c.story_cost_usd, 0) as story_cost_usd,
    coalesce(c.speech_cost_usd, 0) as speech_cost_usd,
    coalesce(c.images_cost_usd, 0) as images_cost_usd,
    coalesce(c.clips_cost_usd, 0) as clips_cost_usd,
    coalesce(c.music_cost_usd, 0) as music_cost_usd
from {{ ref('stg_episodes') }} as e
left join calls as c using (episode_id)
