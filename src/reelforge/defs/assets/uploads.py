"""Publishing: one post per (episode, platform, account), quota-aware, resumable, never twice."""

import datetime as dt
import json

import dagster as dg

from reelforge.config import Channel
from reelforge.constants import GROUP_PUBLISHING, UPLOAD_MAX_RETRIES
from reelforge.defs.assets.common import episode_of
from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.publishing import (
    MediaLinks,
    MediaLinksUnavailable,
    Publishers,
    UnboundPlatform,
)
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.ledger import upload_key
from reelforge.lib.media import MediaStore, key_digest
from reelforge.lib.models import (
    CaptionsRecord,
    MusicRecord,
    Plan,
    PostRecord,
    Story,
    UploadsRecord,
    VideoRecord,
    VideosRecord,
)
from reelforge.lib.platforms.base import PostRequest
from reelforge.lib.provenance import missing_provenance
from reelforge.lib.publisher import publish_once
from reelforge.lib.publishing_decisions import Outcome, outcomes_table
from reelforge.partitions import episode_partitions
from reelforge.settings import load_settings

# Generated pieces whose provenance (ledger row, licence terms) an upload requires.
PROVENANCE_STAGES = ("story", "narration", "scene_images", "music")


class UploadsConfig(dg.Config):
    """Run config of `uploads`."""

    # A failed upload (policy rejection, revoked token) stays failed until an operator asks
    # for another try, e.g. after fixing the credentials.
    retry_failed: bool = False


def _slot_time(plan: Plan) -> dt.datetime:
    day = dt.date.fromisoformat(plan.date)
    return dt.datetime.combine(day, dt.time(plan.posting_hour), tzinfo=dt.UTC)


def _video_for(videos: VideosRecord) -> VideoRecord:
    # Every platform of a channel gets the vertical cut when there is one (Shorts, Reels).
    return next((v for v in videos.videos if v.aspect == "9:16"), videos.videos[0])


def _request(
    platform: str,
    account: str,
    episode: str,
    channel: Channel,
    plan: Plan,
    story: Story,
    video: VideoRecord,
    captions: CaptionsRecord,
    store: MediaStore,
    now: dt.datetime,
    media_url: str | None,
) -> PostRequest:
    scheduled = _slot_time(plan)
    ahead = scheduled if scheduled > now else None  # a slot in the past publishes at once
    thumb = video.thumbnail_landscape_key if platform == "youtube" else video.thumbnail_portrait_key
    tags = tuple(t.lstrip("#") for t in story.hashtags)
    return PostRequest(
        episode_id=episode,
        channel=channel.slug,
        account=account,
        video_path=store.path(video.video_key),
        content_hash=key_digest(video.video_key),
        title=story.title,
        description=f"{story.description}\n\n{' '.join(story.hashtags)}".strip(),
        tags=tags,
        language=plan.language,
        publish_at=ahead,
        privacy="private" if ahead else "public",  # scheduled posts go public at publish_at
        thumbnail_path=store.path(thumb),
        captions_srt_path=store.path(captions.srt_key),
        media_url=media_url,
        extra={
            "plan": json.dumps(plan.model_dump(), sort_keys=True),
            "duration_s": f"{video.duration:.3f}",
            "scheduled_at": scheduled.isoformat(),
            "aspect": video.aspect,
            "experiment_id": plan.experiment_id,
        },
    )


def _run_gone(instance: dg.DagsterInstance, lease_owner: str) -> bool:
    """Whether a lease holder is a run the instance knows has ended (its worker may have
    been killed: run monitoring, or an operator, marks such a run failed)."""
    if not lease_owner.startswith("run:"):
        return False
    run = instance.get_run_by_id(lease_owner.removeprefix("run:"))
    return run is not None and run.is_finished


def _record(outcome: Outcome, video: VideoRecord, content_hash: str) -> PostRecord:
    return PostRecord(
        platform=outcome.platform, account=outcome.account, aspect=video.aspect,
        post_id=outcome.post_id or "", url=outcome.url or "", state=outcome.state,
        content_hash=content_hash, newly_published=outcome.newly_published,
        not_before=outcome.not_before.isoformat() if outcome.not_before else None,
        reason=outcome.reason,
    )  # fmt: skip


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_PUBLISHING,
    kinds={"python"},
    retry_policy=dg.RetryPolicy(
        max_retries=UPLOAD_MAX_RETRIES,
        delay=load_settings().upload_retry_delay_s,
        backoff=dg.Backoff.EXPONENTIAL,
        jitter=dg.Jitter.PLUS_MINUS,
    ),
)
def uploads(
    context: dg.AssetExecutionContext,
    config: UploadsConfig,
    generation_plan: Plan,
    story: Story,
    videos: VideosRecord,
    captions: CaptionsRecord,
    music: MusicRecord,
    publishers: Publishers,
    ledger: LedgerResource,
    media: MediaStoreResource,
    clock: Clock,
    media_links: dg.ResourceParam[MediaLinks],
) -> dg.MaterializeResult:
    """Publishes the episode's video to every platform of the channel: exactly once, within
    quota, resuming interrupted uploads.

    The ledger holds one upload row per (episode, platform, account) with its state (pending →
    uploading → processing → published | failed | deferred), its resumable session and a
    lease, so a re-run, a step retry or a concurrent run returns the existing post. An upload
    over a quota (config/platforms.yaml) is deferred with `not_before`, and the
    `deferred_uploads` sensor launches it when the window opens. Transient platform errors
    retry with exponential backoff and resume; a permanent one fails the step with the
    platform's reason, after the other platforms were tried. Offline: the local outbox.
    Nothing is published while any generated piece of the episode lacks its provenance.
    """
    date, _, channel, episode = episode_of(context)
    book = ledger.ledger()
    stages = [*PROVENANCE_STAGES, *(["scene_clips"] if channel.motion_clips else [])]
    gaps = missing_provenance(book.calls_for(episode), stages, music.licence)
    if gaps:
        raise dg.Failure(
            description="upload refused, provenance missing: " + "; ".join(gaps),
            metadata={"provenance_gaps": dg.MetadataValue.md("\n".join(f"- {g}" for g in gaps))},
            allow_retries=False,
        )
    store = media.store()
    video = _video_for(videos)
    content_hash = key_digest(video.video_key)
    owner = f"run:{context.run.run_id}"
    outcomes: list[Outcome] = []
    for name in channel.platforms:
        try:
            sub = publishers.publisher(name)
            account = channel.account_for(name, sub.account)
            media_url = None
            if publishers.needs_media_url(name):
                media_url = media_links.url_for(
                    video.video_key, store.path(video.video_key), publishers.media_url_expires_s
                )
            client = sub.client()
        except (UnboundPlatform, MediaLinksUnavailable) as exc:
            outcomes.append(
                Outcome(name, channel.accounts.get(name, "?"), "not configured", reason=str(exc),
                        error="permanent")
            )  # fmt: skip
            continue
        if config.retry_failed:
            row = book.get_upload(upload_key(episode, name, account))
            if row is not None and row.state == "failed":
                book.acquire_lease(row.upload_key, owner, clock.now(), publishers.lease_ttl_s)
                book.reset_failed(row.upload_key, owner, clock.now())
                book.release_lease(row.upload_key, owner)
        request = _request(
            name, account, episode, channel, generation_plan, story, video, captions, store,
            clock.now(), media_url,
        )  # fmt: skip
        outcome = publish_once(
            book, client, request, quota=publishers.quota(name), owner=owner, now=clock.now,
            simulated_calendar=bool(getattr(sub, "simulated_calendar", False)), slot_date=date,
            settings=publishers.settings(),
            owner_gone=lambda holder: _run_gone(context.instance, holder),
        )  # fmt: skip
        context.log.info(f"{name}/{account}: {outcome.state} {outcome.post_id or ''} "
                         f"{outcome.reason}".rstrip())  # fmt: skip
        outcomes.append(outcome)
    table = outcomes_table(outcomes)
    states = [o.state for o in outcomes]
    metadata = {
        "uploads": dg.MetadataValue.md(table),
        "published": states.count("published"),
        "deferred": states.count("deferred"),
        "processing": states.count("processing"),
        "failed": sum(o.error == "permanent" for o in outcomes),
        "newly_published": sum(o.newly_published for o in outcomes),
        "post_ids": ", ".join(o.post_id for o in outcomes if o.post_id),
    }
    waits = [o.not_before for o in outcomes if o.not_before]
    if waits:
        metadata["next_not_before"] = min(waits).isoformat()
    first_url = next((o.url for o in outcomes if o.url), None)
    if first_url:
        metadata["first_url"] = dg.MetadataValue.url(first_url)
    transient = [o for o in outcomes if o.error == "transient"]
    permanent = [o for o in outcomes if o.error == "permanent"]
    if transient or permanent:
        bad = transient + permanent
        summary = "; ".join(f"{o.platform}: {o.reason}" for o in bad)
        # A retry resumes the transient ones; the permanent ones stay failed until an
        # operator retries them (config retry_failed), so only transient errors retry.
        raise dg.Failure(
            description=f"upload failed on {summary}", metadata=metadata,
            allow_retries=bool(transient),
        )  # fmt: skip
    return dg.MaterializeResult(
        value=UploadsRecord(posts=[_record(o, video, content_hash) for o in outcomes]),
        metadata=metadata,
    )
