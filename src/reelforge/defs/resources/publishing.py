"""Publishing and audience resources: the local outbox platform and its simulated audience."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg

from reelforge.lib import audience, outbox


class OutboxPlatform(dg.ConfigurableResource):
    """Publishes by copying the video and a metadata JSON into ``outbox/<platform>/<channel>/``."""

    root: str
    account: str = "local"

    def publish(
        self, channel: str, video: Path, content_hash: str, metadata: dict[str, Any]
    ) -> outbox.OutboxPost:
        return outbox.publish(Path(self.root), "outbox", channel, video, content_hash, metadata)


@cache
def _truth(path: str) -> audience.Truth:
    return audience.load_truth(Path(path))


class AudienceSimulator(dg.ConfigurableResource):
    """Engagement of outbox posts, from the ground-truth response surface in a JSON file."""

    truth_path: str

    def snapshots(
        self, params: dict[str, Any], duration_s: float, ages_hours: tuple[int, ...], seed: int
    ) -> list[audience.Snapshot]:
        return audience.simulate(_truth(self.truth_path), params, duration_s, ages_hours, seed)
