"""The episode's story: title, hook, scenes, description and hashtags."""

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import booker_for, episode_of, served_metadata
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.defs.resources.story_providers import StoryProviders
from reelforge.lib.models import Plan
from reelforge.lib.plan import episode_seed
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
    pool="provider_story",
)
def story(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story_writer: StoryProviders,
    ledger: LedgerResource,
    media: MediaStoreResource,
) -> dg.MaterializeResult:
    """Writes the script: a hook over the title card, then 4–8 narrated scenes with visual prompts.

    Tries the channel's chain of language models (REELFORGE_PROVIDERS=remote), ending with
    the deterministic local template/grammar writer, which is all that runs offline. After an
    operator rejects the story in the review queue it is written again with a new seed, until
    the channel's `moderation.max_rejections` ends the episode.
    """
    date, slug, channel, episode = episode_of(context)
    queue = ledger.review_queue()
    rewrite = queue.rejected_attempts(episode)
    if rewrite >= channel.moderation.max_rejections:
        last = queue.rejections(episode)[-1]
        raise dg.Failure(
            description=(
                f"episode failed: its story was rejected {rewrite} times "
                f"(max_rejections {channel.moderation.max_rejections}); last by "
                f"{last.decided_by}: {last.decision_reason} [{last.reason}]"
            ),
            allow_retries=False,
        )
    plan = generation_plan
    if rewrite:  # a rejected story is rewritten from a new seed; the plan stays the same
        plan = plan.model_copy(update={"seed": episode_seed(slug, date, rewrite)})
    booker = booker_for(ledger, media, episode, "story", channel, context)
    served = story_writer.write(plan, channel.niche, channel.providers.story, booker)
    result = served.value
    context.log.info(f"story served by {served.provider} ({served.summary})")
    scenes = "\n".join(f"{i + 1}. {s.narration}" for i, s in enumerate(result.scenes))
    return dg.MaterializeResult(
        value=result,
        metadata={
            "title": result.title,
            "word_count": result.word_count,
            "scene_count": len(result.scenes),
            "script": dg.MetadataValue.md(f"**{result.title}**\n\n_{result.hook}_\n\n{scenes}"),
            "hashtags": " ".join(result.hashtags),
            "rewrite": rewrite,
            **served_metadata(served, booker),
        },
    )
