"""Helpers shared by the episode assets: partition facts and cost booking."""

from typing import Any

import dagster as dg

from reelforge.config import Channel
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.plan import episode_id
from reelforge.lib.providers.booking import Booker
from reelforge.lib.providers.chain import Served
from reelforge.partitions import current_config, slot_of


def episode_of(context: dg.AssetExecutionContext) -> tuple[str, str, Channel, str]:
    """(date, channel slug, channel config, episode id) of the partition being built."""
    date, slug = slot_of(context)
    return date, slug, current_config().channel(slug), episode_id(slug, date)


def booker_for(
    ledger: LedgerResource, media: MediaStoreResource, episode: str, stage: str
) -> Booker:
    """Books every provider call of a stage once, and reuses earlier answers on re-runs."""
    return Booker(ledger.ledger(), media.store(), episode, stage)


def served_metadata(served: Served[Any], booker: Booker) -> dict[str, Any]:
    """Which provider served the stage, what was tried, and what the stage cost so far."""
    return {
        "provider": served.provider,
        "providers_tried": served.summary,
        "cost_usd": dg.MetadataValue.float(round(booker.total_cost(), 6)),
    }
