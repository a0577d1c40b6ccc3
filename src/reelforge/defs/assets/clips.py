"""The episode's motion clips (optional): one short video per story scene, from its still."""

import time

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import booker_for, episode_of
from reelforge.defs.assets.music import TAIL_SECONDS
from reelforge.defs.resources.clip_providers import ClipProviders
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.models import ClipsRecord, ImagesRecord, NarrationRecord, Story
from reelforge.lib.providers.chain import ChainExhaustedError
from reelforge.lib.providers.clip_spec import clip_prompt
from reelforge.lib.providers.registry import LOCAL
from reelforge.lib.timeline import fade_for, scene_durations
from reelforge.partitions import episode_partitions

DISABLED = "disabled for this channel"


def clip_seconds(narration: NarrationRecord) -> list[float]:
    """How long each story scene's clip must run: its narration segment, plus the cross-fade
    hold while the next scene fades in (the renderer holds every scene but the last)."""
    durations = scene_durations(narration.segments, TAIL_SECONDS)  # [title card, scenes...]
    fade = fade_for(durations)
    scenes = durations[1:]
    return [round(d + (fade if i < len(scenes) - 1 else 0.0), 3) for i, d in enumerate(scenes)]


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python", "ffmpeg"},
    pool="provider_clips",
)
def scene_clips(
    context: dg.AssetExecutionContext,
    story: Story,
    narration: NarrationRecord,
    scene_images: ImagesRecord,
    clips: ClipProviders,
    ledger: LedgerResource,
    media: MediaStoreResource,
) -> dg.MaterializeResult:
    """Animates each story scene into a motion clip, when the channel sets `motion_clips: true`.

    One clip per story scene, as long as its narration (the title card stays a still: video
    models garble lettering, and the renderer already moves it). Remote providers run as
    long jobs (submit, poll, download at once, store); a scene whose job is refused, still
    pending at the deadline or whose link expired falls back to a Ken Burns clip made
    locally from the still (REELFORGE_PROVIDERS=local: Ken Burns only). Channels without
    motion clips get an empty record at once and the renderer moves the stills itself.
    """
    _, _, channel, episode = episode_of(context)
    if not channel.motion_clips:
        return dg.MaterializeResult(value=ClipsRecord(), metadata={"status": DISABLED})
    store = media.store()
    booker = booker_for(ledger, media, episode, "scene_clips", channel, context)
    size = (scene_images.width, scene_images.height)
    keys: list[str | None] = []
    providers: list[str | None] = []
    rows = ["| scene | clip from | providers tried |", "|---|---|---|"]
    started = time.monotonic()
    for i, (scene, seconds) in enumerate(zip(story.scenes, clip_seconds(narration), strict=True)):
        try:
            served = clips.clip(
                store.path(scene_images.scene_keys[i]),
                prompt=clip_prompt(scene.visual_prompt, scene.motion),
                motion=scene.motion, seconds=seconds, size=size,
                wanted=channel.providers.clips, booker=booker,
            )  # fmt: skip
        except ChainExhaustedError as exc:
            # Every provider failed, Ken Burns included: the renderer moves the still instead.
            context.log.warning(f"scene {i + 1}: no clip, keeping the still ({exc})")
            keys.append(None)
            providers.append(None)
            rows.append(f"| {i + 1} | still (no clip) | {str(exc)[:200]} |")
            continue
        keys.append(served.value.relative_to(store.root).as_posix())
        providers.append(served.provider)
        note = " (fallback)" if served.provider == LOCAL and len(served.attempts) > 1 else ""
        rows.append(f"| {i + 1} | {served.provider}{note} | {served.summary} |")
        context.log.info(f"scene {i + 1}: {seconds:.2f}s clip from {served.provider}")
    record = ClipsRecord(enabled=True, width=size[0], height=size[1], clip_keys=keys,
                         providers=providers)  # fmt: skip
    remote = [p for p in providers if p not in (None, LOCAL)]
    return dg.MaterializeResult(
        value=record,
        metadata={
            "status": "enabled",
            "clips": sum(k is not None for k in keys),
            "remote_clips": len(remote),
            "fallbacks": sum("(fallback)" in r for r in rows),
            "scenes": dg.MetadataValue.md("\n".join(rows)),
            "elapsed_s": round(time.monotonic() - started, 2),
            "cost_usd": dg.MetadataValue.float(round(booker.total_cost(), 6)),
        },
    )
