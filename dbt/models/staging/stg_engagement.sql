select episode_id, platform, post_id, age_hours, views, likes, comments, shares, watch_time_s
from {{ source('warehouse', 'engagement') }}
