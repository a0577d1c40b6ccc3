-- One row per snapshot of a post; the post is (episode, platform, post id).
select
    episode_id || '|' || platform || '|' || coalesce(post_id, '') || '|' || age_hours
        as snapshot_key,
    episode_id,
    platform,
    coalesce(post_id, '') as post_id,
    age_hours,
    coalesce(views, 0) as views,
    coalesce(likes, 0) as likes,
    coalesce(comments, 0) as comments,
    coalesce(shares, 0) as shares,
    coalesce(watch_time_s, 0) as watch_time_s,
    avg_view_pct,
    observed_at
from {{ source('warehouse', 'engagement') }}
