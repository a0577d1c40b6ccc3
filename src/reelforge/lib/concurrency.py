"""Concurrency settings (config/concurrency.yaml) and the Dagster instance config they give.

Per channel: at most N episodes in flight, enforced by the queued run coordinator's tag limit
on the partition's channel tag (schedules, sensors and UI backfills all set it). Per provider:
Dagster pools, sized here. Run monitoring frees the pool slots of runs that died.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

# Dagster tags every partitioned run with its multi-partition dimensions.
CHANNEL_TAG = "dagster/partition/channel"


class ConcurrencySettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    max_episodes_in_flight_per_channel: int = Field(3, ge=1, le=100)
    max_concurrent_runs: int = Field(10, ge=1, le=1000)
    pools: dict[str, int] = Field(default_factory=dict)
    free_slots_after_run_end_seconds: int = Field(60, ge=0, le=86_400)

    def model_post_init(self, _context: Any) -> None:
        bad = [f"{k}={v}" for k, v in self.pools.items() if not 1 <= int(v) <= 1000]
        if bad:
            raise ValueError(f"pool sizes must be 1-1000: {', '.join(bad)}")


def load_concurrency(path: Path) -> ConcurrencySettings:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return ConcurrencySettings.model_validate(data)
    except (OSError, yaml.YAMLError, ValidationError, ValueError) as exc:
        raise ValueError(f"invalid concurrency settings {path}: {exc}") from None


def instance_config(settings: ConcurrencySettings) -> dict[str, Any]:
    """The dagster.yaml sections for the run queue, pools and run monitoring."""
    return {
        "run_coordinator": {
            "module": "dagster._core.run_coordinator",
            "class": "QueuedRunCoordinator",
        },
        "concurrency": {
            "runs": {
                "max_concurrent_runs": settings.max_concurrent_runs,
                "tag_concurrency_limits": [
                    {
                        "key": CHANNEL_TAG,
                        "value": {"applyLimitPerUniqueValue": True},
                        "limit": settings.max_episodes_in_flight_per_channel,
                    }
                ],
            },
            "pools": {"granularity": "op", "default_limit": 1},
        },
        "run_monitoring": {
            "enabled": True,
            "free_slots_after_run_end_seconds": settings.free_slots_after_run_end_seconds,
        },
    }
