"""The episode's videos: one FFmpeg pass per aspect, from a render manifest kept beside it."""

import json
import os
import time
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION, MUSIC_GAIN_DB, TARGET_LUFS
from reelforge.defs.assets.common import episode_of
from reelforge.defs.assets.music import TAIL_SECONDS
from reelforge.defs.resources.rendering import RenderSettings
from reelforge.defs.resources.storage import MediaStoreResource
from reelforge.lib import atomic
from reelforge.lib.media import SCRATCH_DIR, MediaStore
from reelforge.lib.models import (
    CaptionsRecord,
    ClipsRecord,
    ImagesRecord,
    MusicRecord,
    NarrationRecord,
    Plan,
    Story,
    VideoRecord,
    VideosRecord,
)
from reelforge.lib.previews import markdown_gallery
from reelforge.lib.render import load_manifest, render
from reelforge.lib.thumbnails import caption_free_moment, make_thumbnails
from reelforge.lib.timeline import build_manifest, scene_durations
from reelforge.partitions import episode_partitions


def _link_input(store: MediaStore, key: str, folder: Path) -> str:
    """Hard-link a media blob into the episode folder so its manifest is self-contained."""
    src = store.path(key)
    target = folder / "inputs" / src.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(src, target)  # a link appears whole or not at all
        except FileExistsError:
            pass  # a concurrent run of the same slot linked it first
        except OSError:
            # Another file system: copy, atomically, so no reader sees half an input.
            atomic.copy_file(src, target, episode_scratch(store.root))
    return target.relative_to(folder).as_posix()


def _clip_inputs(
    record: ClipsRecord, scenes: int, store: MediaStore, folder: Path
) -> list[str | None] | None:
    """Per manifest scene, the linked motion clip or None (the title card is always a still);
    None overall when the episode has no clips (the manifest then stays version 1)."""
    if not any(record.clip_keys) or len(record.clip_keys) != scenes:
        return None
    return [None, *(None if k is None else _link_input(store, k, folder) for k in record.clip_keys)]


def episode_folder(media_root: Path, channel: str, date: str) -> Path:
    """Human-friendly export folder of an episode (videos, manifests, their inputs)."""
    return media_root.parent / "episodes" / channel / date


def episode_scratch(media_root: Path) -> Path:
    """Temporaries of writes into episode folders: beside them (same file system), never in
    them, so a render killed mid-way leaves nothing half-written among an episode's files."""
    return media_root.parent / "episodes" / SCRATCH_DIR


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"ffmpeg"},
)
def videos(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    narration: NarrationRecord,
    scene_images: ImagesRecord,
    scene_clips: ClipsRecord,
    music: MusicRecord,
    captions: CaptionsRecord,
    render_settings: RenderSettings,
    media: MediaStoreResource,
) -> dg.MaterializeResult:
    """Renders every aspect the channel asks for: motion, crossfades, burned captions, ducked music.

    Each render is described by a manifest (contract render_manifest v1; v2 when scenes are
    motion clips from `scene_clips`, played instead of the moved still) written beside the
    video, so `reelforge render <manifest>` reproduces it. Output is written atomically.
    Every video also gets two titled thumbnails, 1280x720 and 1080x1920 JPEGs, made from a
    frame after the title card and, where the narration pauses long enough, between captions.
    """
    date, slug, channel, _ = episode_of(context)
    store = media.store()
    folder = episode_folder(store.root, slug, date)
    scratch = episode_scratch(store.root)
    images = [
        _link_input(store, k, folder)
        for k in [scene_images.title_card_key, *scene_images.scene_keys]
    ]
    motions = ["zoom_in", *(s.motion for s in story.scenes)]
    clips = _clip_inputs(scene_clips, len(story.scenes), store, folder)
    durations = scene_durations(narration.segments, TAIL_SECONDS)
    voice = _link_input(store, narration.audio_key, folder)
    bed = _link_input(store, music.audio_key, folder)
    results: list[VideoRecord] = []
    thumbs: list[Path] = []
    for aspect in channel.aspects:
        width, height = render_settings.size_for(aspect)
        tag = aspect.replace(":", "x")
        manifest = build_manifest(
            width=width, height=height, fps=render_settings.fps, output=f"video_{tag}.mp4",
            images=images, motions=motions, durations=durations, narration=voice, music=bed,
            music_gain_db=MUSIC_GAIN_DB, words=narration.words, integrated_lufs=TARGET_LUFS,
            clips=clips,
        )  # fmt: skip
        manifest_path = folder / f"manifest_{tag}.json"
        atomic.write_text(
            manifest_path, json.dumps(manifest, indent=1, ensure_ascii=False), scratch
        )
        last_logged = [0.0]

        def progress(done: float, aspect: str = aspect, last: list[float] = last_logged) -> None:
            if done - last[0] >= 0.25 or done >= 1.0:
                last[0] = done
                context.log.info(f"render {aspect}: {done:.0%}")

        started = time.monotonic()
        result = render(
            load_manifest(manifest_path),
            preset=render_settings.preset,
            crf=render_settings.crf,
            caption_style=generation_plan.caption_style,
            progress=progress,
            scratch=scratch,
        )
        elapsed = time.monotonic() - started
        # The frame comes from after the title card and, if possible, between captions.
        moment = caption_free_moment(
            result.duration,
            [(c["start"], c["end"]) for c in manifest["captions"]],
            not_before=durations[0] + manifest["transition"]["duration"],
        )
        pictures = make_thumbnails(
            result.path,
            story.title,
            moment,
            {kind: folder / f"thumbnail_{tag}_{kind}.jpg" for kind in ("landscape", "portrait")},
            scratch,
        )
        thumbs += pictures.values()
        results.append(
            VideoRecord(
                aspect=aspect,
                video_key=store.put_file(result.path),
                manifest_key=store.put_file(manifest_path),
                thumbnail_landscape_key=store.put_file(pictures["landscape"]),
                thumbnail_portrait_key=store.put_file(pictures["portrait"]),
                width=result.width,
                height=result.height,
                fps=result.fps,
                duration=round(result.duration, 3),
                size_bytes=result.size_bytes,
            )
        )
        context.log.info(
            f"rendered {aspect} {width}x{height} {result.duration:.1f}s in {elapsed:.1f}s "
            f"({result.duration / max(elapsed, 1e-6):.2f}x real time)"
        )
    first = results[0]
    return dg.MaterializeResult(
        value=VideosRecord(videos=results),
        metadata={
            "aspects": ", ".join(v.aspect for v in results),
            "motion_clips": sum(c is not None for c in clips or []),
            "duration_s": first.duration,
            "size_mb": round(sum(v.size_bytes for v in results) / 1e6, 2),
            "video_path": dg.MetadataValue.path(
                str(folder / f"video_{first.aspect.replace(':', 'x')}.mp4")
            ),
            "thumbnail_path": dg.MetadataValue.path(str(thumbs[0])),
            "preview": dg.MetadataValue.md(markdown_gallery(thumbs, max_side=240, alt="thumbnail")),
        },
    )
