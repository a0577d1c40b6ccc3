"""The episode's story: title, hook, scenes, description and hashtags."""

import time

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import book, episode_of
from reelforge.defs.resources.providers import StoryWriter
from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.models import Plan
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def story(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story_writer: StoryWriter,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Writes the script: a hook over the title card, then 4–8 narrated scenes with visual prompts.

    Offline it is a deterministic template/grammar writer seeded by the plan.
    """
    _, _, channel, episode = episode_of(context)
    started = time.monotonic()
    result, usage = story_writer.write(generation_plan, channel.niche)
    cost = book(
        ledger, episode, "story", usage, generation_plan.model_dump(), time.monotonic() - started
    )
    scenes = "\n".join(f"{i + 1}. {s.narration}" for i, s in enumerate(result.scenes))
    return dg.MaterializeResult(
        value=result,
        metadata={
            "title": result.title,
            "word_count": result.word_count,
            "scene_count": len(result.scenes),
            "script": dg.MetadataValue.md(f"**{result.title}**\n\n_{result.hook}_\n\n{scenes}"),
            "hashtags": " ".join(result.hashtags),
            **cost,
        },
    )
