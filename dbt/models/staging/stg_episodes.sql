select
    episode_id,
    channel,
    date as episode_date,
    title,
    genre,
    hook_style,
    voice,
    speaking_rate_wpm,
    music_mood,
    target_seconds,
    caption_style,
    posting_hour,
    experiment_id,
    word_count,
    duration_s
from {{ source('warehouse', 'episodes') }}
