"""The episode's generation plan: the policy's plan for the slot, else the channel defaults."""

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import episode_of
from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.models import Plan
from reelforge.lib.overrides import OverrideStore
from reelforge.lib.plan import default_plan
from reelforge.lib.policy.engine import load_record, planned_for
from reelforge.lib.policy.space import apply_overrides, arm_id, channel_space, slot_number
from reelforge.partitions import episode_partitions
from reelforge.settings import load_settings

# A partition is one episode today; with several episodes a day the slot joins the key.
SLOT = 0


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def generation_plan(
    context: dg.AssetExecutionContext, ledger: LedgerResource
) -> dg.MaterializeResult:
    """Parameters for this episode: genre, hook, voice, pace, music, length, captions, hour.

    The learning policy's plan for this slot when `generation_policy` made one (with its
    experiment id, arm id and predicted views per dollar), else the channel's defaults from
    channels.yaml. The analysts' current overrides are applied last and win over both. The
    seed depends only on the slot, so every later stage is reproducible.
    """
    date, slug, channel, _ = episode_of(context)
    d = channel.defaults
    plan: Plan = default_plan(
        channel=slug,
        date=date,
        genre=channel.genre,
        hook_style=d.hook_style,
        voice=channel.voice,
        speaking_rate_wpm=channel.speaking_rate_wpm,
        music_mood=d.music_mood,
        target_seconds=d.target_seconds,
        caption_style=d.caption_style,
        posting_hour=channel.posting_hour,
        language=channel.language,
    )
    record = load_record(load_settings().policy_record_path)
    planned = planned_for(record, slug, date, SLOT) if record else None
    space = channel_space(channel)
    params = {p: getattr(plan, p) for p in space.values}
    fields: dict = {}
    source = "channel defaults"
    if planned:
        params = {p: planned["params"][p] for p in space.values}
        fields = {
            "experiment_id": planned["experiment_id"],
            "predicted_value": planned["predicted_value"],
            "predicted_sd": planned["predicted_sd"],
            "explore": planned["explore"],
        }
        source = f"policy ({record['created_at']})"
    overrides = OverrideStore(ledger.ledger().engine).active(slug)
    scores = record.get("effects") if record else None
    applied = apply_overrides(
        params, overrides, space, slot_number(date, SLOT, channel.episodes_per_day), scores
    )
    for problem in applied.problems:
        context.log.warning(f"override not applied: {problem}")
    if applied.ab:
        fields["experiment_id"] = applied.ab[0]
    changed = applied.params != params
    if changed:  # the stored prediction was for another plan
        fields.update(predicted_value=None, predicted_sd=None)
    plan = plan.model_copy(
        update={
            **applied.params,
            **fields,
            "arm_id": arm_id(applied.params),
            "overrides_applied": applied.applied,
        }
    )
    plan = Plan.model_validate(plan.model_dump())  # validate the policy's values like any plan
    table = "\n".join(f"| {k} | {v} |" for k, v in plan.model_dump().items())
    return dg.MaterializeResult(
        value=plan,
        metadata={
            "plan": dg.MetadataValue.md(f"| parameter | value |\n|---|---|\n{table}"),
            "source": source,
            "experiment_id": plan.experiment_id,
            "arm_id": plan.arm_id,
            "predicted_views_per_usd": dg.MetadataValue.float(plan.predicted_value or 0.0),
            "predicted_sd": dg.MetadataValue.float(plan.predicted_sd or 0.0),
            "explore": plan.explore,
            "overrides_applied": dg.MetadataValue.json(list(plan.overrides_applied)),
            "seed": plan.seed,
        },
    )
