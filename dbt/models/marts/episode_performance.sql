-- One row per episode: its plan, cost, engagement and publishing status.
with views as (
    select
        episode_id,
        count(*) as posts_observed,
        sum(views) as views,
        sum(likes) as likes,
        sum(comments) as comments,
        sum(shares) as shares,
        sum(watch_time_s) as watch_time_s,
        min(age_hours) as age_hours
    from {{ ref('episode_engagement') }}
    group by episode_id
),
posts as (
    select
        episode_id,
        count(*) as posts,
        count(*) filter (where state = 'published') as posts_published,
        count(*) filter (where state = 'failed') as posts_failed,
        count(*) filter (where state = 'deferred') as posts_deferred,
        count(*) filter (where state in ('pending', 'uploading', 'processing')) as posts_in_flight
    from {{ ref('stg_uploads') }}
    group by episode_id
)
select
    e.episode_id,
    e.channel,
    e.episode_date,
    e.title,
    e.genre,
    e.hook_style,
    e.voice,
    e.speaking_rate_wpm,
    e.music_mood,
    e.target_seconds,
    e.caption_style,
    e.posting_hour,
    e.experiment_id,
    e.arm_id,
    e.duration_s,
    e.video_key,
    e.thumbnail_key,
    c.cost_usd,
    c.effective_cost_usd,
    coalesce(p.posts, 0) as posts,
    coalesce(p.posts_published, 0) as posts_published,
    coalesce(p.posts_failed, 0) as posts_failed,
    coalesce(v.views, 0) as views,
    coalesce(v.likes, 0) as likes,
    coalesce(v.comments, 0) as comments,
    coalesce(v.shares, 0) as shares,
    coalesce(v.watch_time_s, 0) as watch_time_s,
    v.age_hours,
    coalesce(v.age_hours >= {{ var('mature_age_hours') }}, false) as mature,
    coalesce(v.views, 0) / c.effective_cost_usd as engagement_per_dollar,
    case
        when e.failed_stage is not null then 'failed'
        when coalesce(p.posts_failed, 0) > 0 then 'failed'
        when coalesce(p.posts, 0) = 0 then 'rendered'
        when p.posts_published = p.posts then 'published'
        when coalesce(p.posts_deferred, 0) > 0 then 'deferred'
        else 'publishing'
    end as status,
    coalesce(e.failed_stage, case when p.posts_failed > 0 then 'uploads' end) as failed_stage
from {{ ref('stg_episodes') }} as e
join {{ ref('cost_per_episode') }} as c using (episode_id)
left join views as v using (episode_id)
left join posts as p using (episode_id)
