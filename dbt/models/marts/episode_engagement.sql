-- The latest snapshot (up to max_age_hours) of every post.
select
    episode_id || '|' || platform || '|' || post_id as post_key,
    episode_id,
    platform,
    post_id,
    age_hours,
    views,
    likes,
    comments,
    shares,
    watch_time_s,
    avg_view_pct,
    observed_at
from {{ ref('stg_engagement') }}
where age_hours <= {{ var('max_age_hours') }}
qualify row_number() over (
    partition by episode_id, platform, post_id order by age_hours desc
) = 1
