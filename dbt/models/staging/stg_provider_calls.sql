select
    request_hash,
    episode_id,
    stage,
    provider,
    model,
    unit,
    units,
    unit_price_usd,
    coalesce(cost_usd, 0) as cost_usd,
    duration_s,
    created_at
from {{ source('warehouse', 'provider_calls') }}
