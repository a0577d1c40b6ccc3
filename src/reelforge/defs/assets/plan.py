"""The episode's generation plan."""

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import episode_of
from reelforge.lib.models import Plan
from reelforge.lib.plan import default_plan
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def generation_plan(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Parameters for this episode: genre, hook, voice, pace, music, length, captions, hour.

    Taken from the channel's defaults in channels.yaml; the seed depends only on the slot, so
    every later stage is reproducible.
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
    table = "\n".join(f"| {k} | {v} |" for k, v in plan.model_dump().items())
    return dg.MaterializeResult(
        value=plan,
        metadata={
            "plan": dg.MetadataValue.md(f"| parameter | value |\n|---|---|\n{table}"),
            "experiment_id": plan.experiment_id,
            "seed": plan.seed,
        },
    )
