"""The episode's narration: speech per scene, loudness-normalised, with word timings."""

import time
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION, NARRATION_LUFS
from reelforge.defs.assets.common import book, episode_of
from reelforge.defs.resources.providers import SpeechSynth
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.models import NarrationRecord, Plan, Story
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def narration(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    speech: SpeechSynth,
    media: MediaStoreResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Speaks the hook and every scene into one WAV with exact word timings for captions.

    Offline: espeak-ng through its C API (word events give the timings), normalised to -16 LUFS.
    """
    _, _, _, episode = episode_of(context)
    texts = story.narration_texts
    started = time.monotonic()
    with media.scratch() as tmp:
        wav = Path(tmp) / "narration.wav"
        spoken, usage = speech.narrate(
            texts, generation_plan.voice, generation_plan.speaking_rate_wpm, wav, NARRATION_LUFS
        )
        key = media.store().put_file(wav)
    elapsed = time.monotonic() - started
    request = {
        "texts": texts,
        "voice": generation_plan.voice,
        "rate": generation_plan.speaking_rate_wpm,
    }
    cost = book(ledger, episode, "narration", usage, request, elapsed)
    record = NarrationRecord(
        audio_key=key,
        duration=round(spoken.duration, 3),
        segments=list(spoken.segments),
        words=list(spoken.words),
        voice=generation_plan.voice,
        integrated_lufs=spoken.integrated_lufs,
    )
    context.log.info(
        f"narration {record.duration:.1f}s, {len(record.words)} words in {elapsed:.1f}s"
    )
    return dg.MaterializeResult(
        value=record,
        metadata={
            "duration_s": record.duration,
            "words": len(record.words),
            "integrated_lufs": round(spoken.integrated_lufs, 2),
            "audio_key": key,
            "synthesis_s": round(elapsed, 2),
            **cost,
        },
    )
