"""The episode's background music bed, with its licence record."""

import time
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION
from reelforge.defs.assets.common import booker_for, episode_of, served_metadata
from reelforge.defs.resources.music_providers import MusicProviders
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.models import MusicRecord, NarrationRecord, Plan
from reelforge.partitions import episode_partitions

# The last scene is held this long after the narration ends (see `videos`).
TAIL_SECONDS = 1.0


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
    pool="provider_music",
)
def music(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    narration: NarrationRecord,
    music_source: MusicProviders,
    media: MediaStoreResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Finds a bed for the plan's mood, as long as the narration plus a short tail.

    Tries the channel's music chain: music-generation APIs (REELFORGE_PROVIDERS=remote),
    the licensed library folder (REELFORGE_MUSIC_LIBRARY), then the offline numpy
    synthesiser (chords, bass, arpeggio, light percussion; CC0). Every bed carries its
    licence record; library tracks without licence evidence are never used.
    """
    _, _, channel, episode = episode_of(context)
    seconds = round(narration.duration + TAIL_SECONDS, 3)
    booker = booker_for(ledger, media, episode, "music", channel, context)
    started = time.monotonic()
    with media.scratch() as tmp:
        wav = Path(tmp) / "music.wav"
        served = music_source.compose(
            generation_plan.music_mood, seconds, generation_plan.seed, wav,
            genre=generation_plan.genre, wanted=channel.providers.music, booker=booker,
        )  # fmt: skip
        key = media.store().put_file(wav)
    bed = served.value
    context.log.info(f"music served by {served.provider} ({served.summary})")
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
            "source": bed.licence.get("title", ""),
            "audio_key": key,
            "compose_s": round(time.monotonic() - started, 2),
            **served_metadata(served, booker),
        },
    )
