"""The episode's pictures: a title card and one image per scene, at render size."""

import time
from collections import Counter
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import booker_for, episode_of
from reelforge.defs.resources.image_providers import ImageProviders
from reelforge.defs.resources.rendering import RenderSettings
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.artist import save_png
from reelforge.lib.models import ImagesRecord, Plan, Story
from reelforge.lib.previews import markdown_gallery
from reelforge.partitions import episode_partitions

STAGE = "scene_images"


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
    pool="provider_images",
)
def scene_images(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    artist: ImageProviders,
    render_settings: RenderSettings,
    media: MediaStoreResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Draws the title card and one picture per scene following its visual prompt.

    Pictures are made for the largest aspect the channel renders; the renderer crops the
    others from them. With REELFORGE_PROVIDERS=remote each scene goes through the channel's
    chain of image models (OpenAI Images, Stability, fal.ai) with a shot-aware prompt, and
    falls back to the local artist. Offline: a procedural Pillow artist (palette, shapes and
    composition follow the genre and the prompt). Title cards are always drawn locally.
    """
    _, _, channel, episode = episode_of(context)
    aspect = max(channel.aspects, key=lambda a: _area(render_settings.size_for(a)))
    size = render_settings.size_for(aspect)
    booker = booker_for(ledger, media, episode, STAGE, channel, context)
    store = media.store()
    seed = generation_plan.seed
    started = time.monotonic()
    card = artist.title_card(story.title, genre=story.genre, size=size, seed=seed, booker=booker)
    images, rows = [card], []
    for i, scene in enumerate(story.scenes):
        served = artist.scene(
            scene.visual_prompt, motion=scene.motion, genre=story.genre, aspect=aspect,
            size=size, seed=seed + i + 1, index=i, wanted=channel.providers.images,
            booker=booker,
        )  # fmt: skip
        images.append(served.value)
        rows.append((served.provider, served.summary))
        context.log.info(f"scene {i + 1} image served by {served.provider} ({served.summary})")
    paths: list[Path] = []
    with media.scratch() as tmp:
        for i, image in enumerate(images):
            path = Path(tmp) / f"{i:02d}.png"
            save_png(image, path)
            paths.append(store.path(store.put_file(path)))
    keys = [p.relative_to(store.root).as_posix() for p in paths]
    record = ImagesRecord(
        width=size[0], height=size[1], title_card_key=keys[0], scene_keys=keys[1:]
    )
    served_by = Counter(provider for provider, _ in rows)
    table = "| scene | provider | tried |\n|---|---|---|\n" + "\n".join(
        f"| {i + 1} | {provider} | {summary} |" for i, (provider, summary) in enumerate(rows)
    )
    return dg.MaterializeResult(
        value=record,
        metadata={
            "images": len(keys),
            "size": f"{size[0]}x{size[1]}",
            "draw_s": round(time.monotonic() - started, 2),
            "provider": ", ".join(f"{p} ×{n}" for p, n in served_by.most_common()),
            "providers_by_scene": dg.MetadataValue.md(table),
            "cost_usd": dg.MetadataValue.float(round(booker.total_cost(), 6)),
            "preview": dg.MetadataValue.md(markdown_gallery(paths, max_side=160)),
        },
    )


def _area(size: tuple[int, int]) -> int:
    return size[0] * size[1]
