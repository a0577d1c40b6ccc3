"""Blocking moderation checks: flagged text or pictures stop the episode before paid steps.

`story_moderation` judges the script (profanity model, the channel's banned topics, personal
data, platform rules); `publish_metadata_moderation` judges what the platforms will show
(title, description, hashtags); `scene_images_moderation` runs the NSFW model over the
pictures. Flagged content goes to the review queue; the check fails until an operator
approves it (the `review_decisions` sensor then resumes the episode) or rejects it (the story
is written again with a new seed, up to the channel's `max_rejections`).
"""

import warnings
from collections.abc import Iterator

import dagster as dg

from reelforge.config import ModerationSettings
from reelforge.defs.assets.images import scene_images
from reelforge.defs.assets.story import story
from reelforge.defs.resources.moderation import ModerationProviders
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.models import ImagesRecord, Story
from reelforge.lib.moderation import ModerationVerdict
from reelforge.lib.moderation.gate import GateOutcome, content_hash, gate
from reelforge.lib.plan import episode_id
from reelforge.partitions import current_config, episode_partitions

STORY_CHECK = "story_moderation"
METADATA_CHECK = "publish_metadata_moderation"
IMAGES_CHECK = "scene_images_moderation"


def _episode(context: dg.AssetCheckExecutionContext) -> tuple[str, ModerationSettings]:
    """The episode id of the run's partition and its channel's moderation rules."""
    key = context.partition_key
    if not isinstance(key, dg.MultiPartitionKey):
        raise dg.Failure(f"expected a date × channel partition, got {key!r}")
    date, slug = key.keys_by_dimension["date"], key.keys_by_dimension["channel"]
    return episode_id(slug, date), current_config().channel(slug).moderation


def _judge(
    context: dg.AssetCheckExecutionContext,
    ledger: LedgerResource,
    name: str,
    verdict: ModerationVerdict,
    digest: str,
) -> dg.AssetCheckResult:
    """Gate one verdict through the review queue of the episode's current version."""
    episode, _ = _episode(context)
    queue = ledger.review_queue()
    outcome = gate(verdict, queue, episode_id=episode, check_name=name, digest=digest,
                   attempt=queue.rejected_attempts(episode))  # fmt: skip
    if not outcome.passed:
        context.log.warning(f"{name}: {outcome.reason}")
    return _result(name, outcome, verdict.scores)


def _result(name: str, outcome: GateOutcome, scores: dict[str, float]) -> dg.AssetCheckResult:
    metadata: dict[str, object] = {"reason": outcome.reason}
    if outcome.item is not None:
        metadata |= {"review_item": outcome.item.item_id, "review_state": outcome.item.state}
    top = sorted(scores.items(), key=lambda kv: -kv[1])[:5]
    metadata |= {f"score_{k}": dg.MetadataValue.float(round(v, 4)) for k, v in top}
    return dg.AssetCheckResult(
        check_name=name,
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        metadata=metadata,  # type: ignore[arg-type]
    )


with warnings.catch_warnings():  # partitioned checks: see video_checks.py for why
    warnings.filterwarnings("ignore", "Specifying a partitions_def", dg.PreviewWarning)
    _STORY_SPECS = [
        dg.AssetCheckSpec(STORY_CHECK, asset=story, blocking=True,
                          partitions_def=episode_partitions,
                          description="Script: profanity, banned topics, personal data, claims."),
        dg.AssetCheckSpec(METADATA_CHECK, asset=story, blocking=True,
                          partitions_def=episode_partitions,
                          description="Title, description and hashtags the platforms show."),
    ]  # fmt: skip
    _IMAGE_SPECS = [
        dg.AssetCheckSpec(IMAGES_CHECK, asset=scene_images, blocking=True,
                          partitions_def=episode_partitions,
                          description="Every picture under the channel's NSFW threshold."),
    ]  # fmt: skip


@dg.multi_asset_check(specs=_STORY_SPECS)
def story_checks(
    context: dg.AssetCheckExecutionContext,
    story: Story,
    moderation: ModerationProviders,
    ledger: LedgerResource,
) -> Iterator[dg.AssetCheckResult]:
    """Moderates the story's script and its publish metadata (blocking; flagged → review)."""
    _, rules = _episode(context)
    script = "\n".join(story.narration_texts)
    public = "\n".join([story.title, story.description, " ".join(story.hashtags)])
    for name, text in ((STORY_CHECK, script), (METADATA_CHECK, public)):
        verdict = moderation.text(text, rules.banned_topics)
        yield _judge(context, ledger, name, verdict, content_hash(text))


@dg.multi_asset_check(specs=_IMAGE_SPECS)
def scene_images_checks(
    context: dg.AssetCheckExecutionContext,
    scene_images: ImagesRecord,
    moderation: ModerationProviders,
    ledger: LedgerResource,
    media: MediaStoreResource,
) -> Iterator[dg.AssetCheckResult]:
    """Runs the NSFW model over the title card and every scene picture (blocking)."""
    _, rules = _episode(context)
    store = media.store()
    keys = [scene_images.title_card_key, *scene_images.scene_keys]
    verdict = moderation.images([store.path(k).read_bytes() for k in keys], rules.nsfw_threshold)
    yield _judge(context, ledger, IMAGES_CHECK, verdict, content_hash(*keys))
