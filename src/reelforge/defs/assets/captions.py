"""The episode's captions: SRT, VTT and a word-highlight ASS script from the word timings."""

import dagster as dg

from reelforge.constants import ASPECT_SIZES, GROUP_GENERATION
from reelforge.defs.assets.common import episode_of
from reelforge.defs.resources.storage import MediaStoreResource
from reelforge.lib import captions as cap
from reelforge.lib.models import CaptionsRecord, NarrationRecord, Plan
from reelforge.partitions import episode_partitions


def cues_of(narration: NarrationRecord) -> list[cap.Cue]:
    return [cap.Cue(text=w.text, start=w.start, end=w.end) for w in narration.words]


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def captions(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    narration: NarrationRecord,
    media: MediaStoreResource,
) -> dg.MaterializeResult:
    """Turns word timings into SRT and VTT (for platforms) and an ASS script (for burning in).

    The ASS script is written for the channel's first aspect; the renderer regenerates it per
    aspect from the same cues so that size and safe areas fit each frame.
    """
    _, _, channel, _ = episode_of(context)
    words = cues_of(narration)
    width, height = ASPECT_SIZES[channel.aspects[0]]
    store = media.store()
    srt = cap.to_srt(words)
    record = CaptionsRecord(
        srt_key=store.put_text(srt, ".srt"),
        vtt_key=store.put_text(cap.to_vtt(words), ".vtt"),
        ass_key=store.put_text(
            cap.to_ass(words, width=width, height=height, style=generation_plan.caption_style),
            ".ass",
        ),
        cue_count=srt.count("-->"),
        style=generation_plan.caption_style,
    )
    first = "\n".join(srt.strip().split("\n\n")[:4])
    return dg.MaterializeResult(
        value=record,
        metadata={
            "cues": record.cue_count,
            "words": len(words),
            "style": record.style,
            "srt_preview": dg.MetadataValue.md(f"```\n{first}\n```"),
        },
    )
