"""Publishing: one post per platform, idempotent by (video content hash, platform, account)."""

import dagster as dg

from reelforge.constants import GROUP_PUBLISHING
from reelforge.defs.assets.common import episode_of
from reelforge.defs.resources.publishing import OutboxPlatform
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.media import key_digest
from reelforge.lib.models import Plan, PostRecord, Story, UploadsRecord, VideosRecord
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_PUBLISHING,
    kinds={"python"},
)
def uploads(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    videos: VideosRecord,
    platform: OutboxPlatform,
    ledger: LedgerResource,
    media: MediaStoreResource,
) -> dg.MaterializeResult:
    """Publishes the episode's video to every platform of the channel, never twice.

    The ledger holds one upload row per (content hash, platform, account); a re-run, a retry
    or a concurrent run finds it and returns the existing post. Offline: the local outbox.
    """
    date, slug, channel, episode = episode_of(context)
    book = ledger.ledger()
    store = media.store()
    video = videos.videos[0]
    content_hash = key_digest(video.video_key)
    posts: list[PostRecord] = []
    for name in channel.platforms:
        upload, claimed = book.claim_upload(content_hash, name, platform.account, episode)
        if upload.state == "published" and upload.post_id:
            context.log.info(f"{name}: already published as {upload.post_id}")
            posts.append(
                PostRecord(platform=name, account=platform.account, aspect=video.aspect,
                           post_id=upload.post_id, url=upload.url or "", state=upload.state,
                           content_hash=content_hash, newly_published=False)
            )  # fmt: skip
            continue
        post = platform.publish(
            slug,
            store.path(video.video_key),
            content_hash,
            {
                "channel": slug,
                "date": date,
                "title": story.title,
                "description": story.description,
                "hashtags": story.hashtags,
                "publish_at": f"{date}T{generation_plan.posting_hour:02d}:00:00Z",
                "experiment_id": generation_plan.experiment_id,
                "synthetic_media": True,
                "aspect": video.aspect,
                "duration_s": video.duration,
            },
        )
        url = post.path.as_uri()
        book.finish_upload(upload.upload_key, "published", post.post_id, url)
        posts.append(
            PostRecord(platform=name, account=platform.account, aspect=video.aspect,
                       post_id=post.post_id, url=url, state="published",
                       content_hash=content_hash, newly_published=post.created and claimed)
        )  # fmt: skip
    new = sum(p.newly_published for p in posts)
    return dg.MaterializeResult(
        value=UploadsRecord(posts=posts),
        metadata={
            "posts": len(posts),
            "newly_published": new,
            "already_published": len(posts) - new,
            "post_ids": ", ".join(p.post_id for p in posts),
            "first_url": dg.MetadataValue.url(posts[0].url) if posts else "",
        },
    )
