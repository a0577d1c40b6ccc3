"""The episode's narration: speech per scene, loudness-normalised, with word timings."""

import time
from pathlib import Path

import dagster as dg

from reelforge.constants import GROUP_GENERATION, NARRATION_LUFS
from reelforge.defs.assets.common import booker_for, episode_of, served_metadata
from reelforge.defs.resources.speech_providers import SpeechProviders
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.lib.models import NarrationRecord, Plan, Story
from reelforge.partitions import episode_partitions


@dg.asset(
    partitions_def=episode_partitions,
    group_name=GROUP_GENERATION,
    kinds={"python"},
    pool="provider_speech",
)
def narration(
    context: dg.AssetExecutionContext,
    generation_plan: Plan,
    story: Story,
    speech: SpeechProviders,
    media: MediaStoreResource,
    ledger: LedgerResource,
) -> dg.MaterializeResult:
    """Speaks the hook and every scene into one WAV with word timings for captions.

    Tries the channel's speech chain (REELFORGE_PROVIDERS=remote): ElevenLabs (timings from
    its character alignment), OpenAI or Piper (timings from espeak-ng's words scaled onto the
    voice, approximate), ending with espeak-ng through its C API (exact timings from its word
    events), which is all that runs offline. Normalised to -16 LUFS.
    """
    _, _, channel, episode = episode_of(context)
    booker = booker_for(ledger, media, episode, "narration", channel, context)
    started = time.monotonic()
    with media.scratch() as tmp:
        wav = Path(tmp) / "narration.wav"
        served = speech.narrate(
            story.narration_texts,
            voice=generation_plan.voice,
            rate_wpm=generation_plan.speaking_rate_wpm,
            remote_voices=channel.remote_voices,
            out_wav=wav,
            target_lufs=NARRATION_LUFS,
            wanted=channel.providers.speech,
            booker=booker,
        )
        key = media.store().put_file(wav)
    elapsed = time.monotonic() - started
    spoken = served.value
    voice = speech.voice_for(served.provider, generation_plan.voice, channel.remote_voices)
    record = NarrationRecord(
        audio_key=key,
        duration=round(spoken.duration, 3),
        segments=list(spoken.segments),
        words=list(spoken.words),
        voice=voice,
        integrated_lufs=spoken.integrated_lufs,
    )
    context.log.info(
        f"narration {record.duration:.1f}s, {len(record.words)} words in {elapsed:.1f}s, "
        f"served by {served.provider} ({served.summary})"
    )
    return dg.MaterializeResult(
        value=record,
        metadata={
            "duration_s": record.duration,
            "words": len(record.words),
            "voice": voice,
            "integrated_lufs": round(spoken.integrated_lufs, 2),
            "audio_key": key,
            "synthesis_s": round(elapsed, 2),
            **served_metadata(served, booker),
        },
    )
