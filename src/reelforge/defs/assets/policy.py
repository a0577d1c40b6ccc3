"""The learning policy: fit engagement per dollar, plan the next slots of every channel."""

import base64
import datetime as dt
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_POLICY, POOL_WAREHOUSE
from reelforge.defs.resources.storage import LedgerResource, WarehouseResource
from reelforge.lib.overrides import OverrideStore
from reelforge.lib.policy.chart import importance_png
from reelforge.lib.policy.engine import propose, write_record, write_tables
from reelforge.lib.policy.planner import DEFAULT_EXPLORE_SHARE, explore_share_at
from reelforge.lib.pricing import PriceTable
from reelforge.partitions import current_config
from reelforge.settings import load_settings

# Downstream of the dbt mart `arm_performance` (a dagster-dbt asset): the policy refreshes
# after the rollups. It reads the warehouse's base tables itself, so until the dbt assets are
# in this code location the key is an external asset and the dep validates all the same.
ARM_PERFORMANCE = dg.AssetKey("arm_performance")


class PolicyConfig(dg.Config):
    days: int = 7  # days ahead to plan, from tomorrow; × episodes_per_day slots per channel
    # plans moved to a least-tried value, while data are few (falls as 1/episodes after 120)
    explore_share: float = DEFAULT_EXPLORE_SHARE
    # Thompson draws: posterior sd × this; None: 1, narrowing as episodes accumulate
    posterior_scale: float | None = None
    seed: int | None = None  # default: derived from the start date and the history


def _plans_table(plans: list, limit: int = 30) -> str:
    head = "| channel | date | slot | genre | hook | voice | wpm | mood | s | captions | hour " \
           "| views/$ | ± | explore | overrides |\n|" + "---|" * 15  # fmt: skip
    lines = [
        f"| {p.channel} | {p.date} | {p.slot} | {p.params['genre']} | {p.params['hook_style']} "
        f"| {p.params['voice']} | {p.params['speaking_rate_wpm']} | {p.params['music_mood']} "
        f"| {p.params['target_seconds']} | {p.params['caption_style']} "
        f"| {p.params['posting_hour']} | {_num(p.predicted_value)} | {_num(p.predicted_sd)} "
        f"| {'yes' if p.explore else ''} | {'; '.join(p.overrides_applied)} |"
        for p in plans[:limit]
    ]
    more = f"\n\n{len(plans) - limit} more in the policy_plans table." if len(plans) > limit else ""
    return head + "\n" + "\n".join(lines) + more


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


@dg.asset(
    group_name=GROUP_POLICY,
    kinds={"scikit-learn", "duckdb"},
    pool=POOL_WAREHOUSE,
    deps=[ARM_PERFORMANCE],
)
def generation_policy(
    context: dg.AssetExecutionContext,
    config: PolicyConfig,
    warehouse: WarehouseResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Learns which plan parameters earn the most views per dollar and plans the next slots.

    Fits a Bayesian linear model of log 7-day views on one-hot plan parameters (channel as
    context, the plan's priced cost as a known offset) to the warehouse's matured episodes,
    then plans `days` days × episodes_per_day slots of every channel from tomorrow by
    Thompson sampling within each channel's allowed values and per-episode budget, with a
    share of exploration plans (falling as 1/episodes once 120 episodes have matured);
    analyst overrides are applied last. Writes the tables
    policy_plans, policy_importance and policy_effects, and the record generation_plan reads.
    """
    settings = load_settings()
    channels = current_config().channels
    store = OverrideStore(ledger.ledger().engine)
    overrides = {c.slug: store.active(c.slug) for c in channels}
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    proposal = propose(
        channels,
        PriceTable.load(settings.prices_path),
        Path(warehouse.path),
        overrides,
        start=tomorrow,
        days=config.days,
        explore_share=config.explore_share,
        posterior_scale=config.posterior_scale,
        seed=config.seed,
    )
    counts = write_tables(Path(warehouse.path), proposal)
    write_record(settings.policy_record_path, proposal)
    history = proposal.history
    importance = proposal.importance
    png = base64.b64encode(importance_png(importance)).decode()
    context.log.info(
        f"fitted on {len(history.observations)} matured episodes; "
        f"planned {len(proposal.plans)} slots from {tomorrow}"
    )
    return dg.MaterializeResult(
        metadata={
            "experiment_id": proposal.experiment_id,
            "episodes_learnt_from": len(history.observations),
            "episodes_not_matured": history.immature,
            "episodes_of_unknown_channels": history.unknown_channel,
            "noise_sd_log_views": dg.MetadataValue.float(
                round(proposal.model.noise_sd, 4) if proposal.model else 0.0
            ),
            "slots_planned": len(proposal.plans),
            "exploration_plans": sum(p.explore for p in proposal.plans),
            "exploration_share": dg.MetadataValue.float(
                round(explore_share_at(config.explore_share, len(history.observations)), 4)
            ),
            "next_plans": dg.MetadataValue.md(_plans_table(proposal.plans)),
            "importance": dg.MetadataValue.json(importance),
            "importance_chart": dg.MetadataValue.md(f"![importance](data:image/png;base64,{png})"),
            **{f"rows_{t}": n for t, n in counts.items()},
            "record": dg.MetadataValue.path(str(settings.policy_record_path)),
        }
    )
