"""The episode's pictures: a title card and one image per scene, at render size."""

import time
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import book, episode_of
from reelforge.defs.resources.providers import ImageArtist
from reelforge.defs.resources.rendering import RenderSettings
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.artist import save_png
from reelforge.lib.models import ImagesRecord, Plan, Story
from reelforge.lib.previews import markdown_gallery
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def scene_images(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    artist: ImageArtist,
    render_settings: RenderSettings,
    media: MediaStoreResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Draws the title card and one picture per scene following its visual prompt.

    Pictures are drawn for the tallest aspect the channel renders; the renderer crops the
    others from them. Offline: a procedural Pillow artist (palette, shapes and composition
    follow the genre and the prompt).
    """
    _, _, channel, episode = episode_of(context)
    size = max((render_settings.size_for(a) for a in channel.aspects), key=lambda wh: wh[0] * wh[1])
    store = media.store()
    started = time.monotonic()
    paths: list[Path] = []
    with media.scratch() as tmp:
        card = artist.title_card(story.title, story.genre, size, generation_plan.seed)
        for i, scene in enumerate([None, *story.scenes]):
            image = (
                card
                if scene is None
                else artist.scene(scene.visual_prompt, story.genre, size, generation_plan.seed + i)
            )
            path = Path(tmp) / f"{i:02d}.png"
            save_png(image, path)
            paths.append(store.path(store.put_file(path)))
        keys = [p.relative_to(store.root).as_posix() for p in paths]
    elapsed = time.monotonic() - started
    request = {"prompts": [s.visual_prompt for s in story.scenes], "title": story.title,
               "size": size, "seed": generation_plan.seed}  # fmt: skip
    cost = book(ledger, episode, "scene_images", artist.usage(len(keys)), request, elapsed)
    record = ImagesRecord(
        width=size[0], height=size[1], title_card_key=keys[0], scene_keys=keys[1:]
    )
    return dg.MaterializeResult(
        value=record,
        metadata={
            "images": len(keys),
            "size": f"{size[0]}x{size[1]}",
            "draw_s": round(elapsed, 2),
            "preview": dg.MetadataValue.md(markdown_gallery(paths, max_side=160)),
            **cost,
        },
    )
