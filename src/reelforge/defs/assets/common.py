"""Helpers shared by the episode assets: partition facts, cost booking and the budget gate."""

import datetime as dt
from typing import Any

import dagster as dg

from reelforge.config import Channel
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.budget import BudgetExceeded, Hold, Limits
from reelforge.lib.plan import episode_id
from reelforge.lib.providers.booking import Booker, BudgetGuard
from reelforge.lib.providers.chain import Served
from reelforge.partitions import current_config, slot_of


def episode_of(context: dg.AssetExecutionContext) -> tuple[str, str, Channel, str]:
    """(date, channel slug, channel config, episode id) of the partition being built."""
    date, slug = slot_of(context)
    return date, slug, current_config().channel(slug), episode_id(slug, date)


class HardCapGuard(BudgetGuard):
    """A paid call that would cross a cap fails the step for good, with the numbers."""

    def reserve(self, key: str, episode: str, stage: str, provider: str, usd: float) -> Hold:
        try:
            return super().reserve(key, episode, stage, provider, usd)
        except BudgetExceeded as exc:
            raise dg.Failure(
                description=f"{stage} via {provider} not called: {exc}",
                metadata={
                    "budget_scope": exc.scope,
                    "budget_period": exc.period,
                    "committed_usd": dg.MetadataValue.float(round(exc.spent_usd, 6)),
                    "estimate_usd": dg.MetadataValue.float(round(exc.estimate_usd, 6)),
                    "cap_usd": dg.MetadataValue.float(exc.limit_usd),
                },
                allow_retries=False,
            ) from None


def record_run_config(context: dg.AssetExecutionContext, ledger: LedgerResource) -> None:
    """Audit which channels config (by hash) this run used: once per run, by its first stage."""
    from reelforge.config import config_hash
    from reelforge.settings import load_settings

    audit = ledger.audit()
    if audit.has("run.config", context.run.run_id):
        return
    path = load_settings().config_path
    audit.record(
        "dagster",
        "run.config",
        context.run.run_id,
        {"config_hash": config_hash(path), "config_path": str(path), "job": context.job_name,
         "partition": str(context.partition_key)},
    )  # fmt: skip


def budget_guard(ledger: LedgerResource, channel: Channel) -> HardCapGuard:
    """The channel's and the global caps, on today's (UTC) spending day."""
    caps = current_config().budget
    return HardCapGuard(
        budget=ledger.budget(),
        channel=channel.slug,
        day=dt.datetime.now(dt.UTC).date(),
        channel_limits=Limits(channel.daily_budget_usd, channel.monthly_budget_usd),
        global_limits=Limits(caps.daily_usd, caps.monthly_usd),
    )


def booker_for(
    ledger: LedgerResource,
    media: MediaStoreResource,
    episode: str,
    stage: str,
    channel: Channel | None = None,
    context: dg.AssetExecutionContext | None = None,
) -> Booker:
    """Books every provider call of a stage once, and reuses earlier answers on re-runs.

    With the channel given, paid calls are first reserved against its budget and the global one.
    """
    guard = budget_guard(ledger, channel) if channel is not None else None
    if context is not None:
        record_run_config(context, ledger)
    return Booker(ledger.ledger(), media.store(), episode, stage, guard)


def served_metadata(served: Served[Any], booker: Booker) -> dict[str, Any]:
    """Which provider served the stage, what was tried, and what the stage cost so far."""
    return {
        "provider": served.provider,
        "providers_tried": served.summary,
        "cost_usd": dg.MetadataValue.float(round(booker.total_cost(), 6)),
    }
