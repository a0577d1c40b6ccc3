select
    upload_key,
    episode_id,
    platform,
    account,
    content_hash,
    lower(state) as state,
    post_id,
    url,
    updated_at
from {{ source('warehouse', 'uploads') }}
