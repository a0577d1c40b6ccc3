"""The episode's background music bed, with its licence record."""

import time
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import book, episode_of
from reelforge.defs.resources.providers import MusicSource
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.models import MusicRecord, NarrationRecord, Plan
from reelforge.partitions import episode_partitions

# The last scene is held this long after the narration ends (see `videos`).
TAIL_SECONDS = 1.0


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
)
def music(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    narration: NarrationRecord,
    music_source: MusicSource,
    media: MediaStoreResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Composes a bed for the plan's mood, as long as the narration plus a short tail.

    Offline: a numpy synthesiser (chords, bass, arpeggio, light percussion), licensed CC0.
    """
    _, _, _, episode = episode_of(context)
    seconds = round(narration.duration + TAIL_SECONDS, 3)
    started = time.monotonic()
    with media.scratch() as tmp:
        wav = Path(tmp) / "music.wav"
        bed, usage = music_source.compose(
            generation_plan.music_mood, seconds, generation_plan.seed, wav
        )
        key = media.store().put_file(wav)
    elapsed = time.monotonic() - started
    request = {"mood": generation_plan.music_mood, "seconds": seconds, "seed": generation_plan.seed}
    cost = book(ledger, episode, "music", usage, request, elapsed)
    record = MusicRecord(
        audio_key=key,
        duration=bed.duration,
        mood=bed.mood,
        bpm=bed.bpm,
        key=bed.key,
        licence=bed.licence,
    )
    return dg.MaterializeResult(
        value=record,
        metadata={
            "duration_s": bed.duration,
            "mood": bed.mood,
            "bpm": bed.bpm,
            "key": bed.key,
            "licence": bed.licence.get("licence", ""),
            "audio_key": key,
            "synthesis_s": round(elapsed, 2),
            **cost,
        },
    )
