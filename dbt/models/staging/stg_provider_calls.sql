select request_hash, episode_id, stage, provider, model, unit, units, cost_usd, duration_s
from {{ source('warehouse', 'provider_calls') }}
