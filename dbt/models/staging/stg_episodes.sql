-- Episodes with their plan; arm_id is the plan's parameter signature unless the warehouse
-- records the policy's own arm id.
{% set episodes = source('warehouse', 'episodes') %}
with episodes as (
    select
        episode_id,
        channel,
        cast(date as date) as episode_date,
        title,
        genre,
        hook_style,
        voice,
        speaking_rate_wpm,
        music_mood,
        target_seconds,
        caption_style,
        posting_hour,
        coalesce(experiment_id, 'baseline') as experiment_id,
        {{ optional_column(episodes, 'arm_id', 'varchar') }} as recorded_arm_id,
        {{ optional_column(episodes, 'failed_stage', 'varchar') }} as failed_stage,
        {{ optional_column(episodes, 'thumbnail_key', 'varchar') }} as thumbnail_key,
        word_count,
        duration_s,
        video_key,
        materialized_at
    from {{ episodes }}
)
select
    * exclude (recorded_arm_id),
    coalesce(
        recorded_arm_id,
        'arm-' || substr(md5(concat_ws('|', genre, hook_style, voice, speaking_rate_wpm,
            music_mood, target_seconds, caption_style, posting_hour)), 1, 10)
    ) as arm_id
from episodes
