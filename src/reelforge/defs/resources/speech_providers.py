"""Narrators: ElevenLabs and OpenAI voices, Piper (offline neural), then espeak-ng."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from reelforge.defs.resources.provider_set import Endpoint, ProviderSet
from reelforge.lib.narration import Narration, compose
from reelforge.lib.piper_speech import VOICE_NAME as PIPER_VOICE
from reelforge.lib.providers.booking import Booker
from reelforge.lib.providers.chain import Served, run_chain
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.registry import LOCAL, PIPER
from reelforge.lib.providers.speech_engines import (
    Engine,
    espeak_reference,
    espeak_speaker,
    piper_speaker,
    remote_speaker,
)
from reelforge.lib.providers.speech_remote import (
    DEFAULT_VOICES,
    ElevenLabsSpeech,
    OpenAISpeech,
    SpeechClient,
)


class SpeechProviders(ProviderSet):
    """Speaks the narration through the channel's chain; espeak-ng is always the last resort.

    `piper` runs offline but is opt-in: list it in a channel's `providers.speech`.
    """

    gap_seconds: float = 0.35

    def narrate(
        self,
        texts: list[str],
        *,
        voice: str,
        rate_wpm: int,
        remote_voices: Mapping[str, str],
        out_wav: Path,
        target_lufs: float,
        wanted: Sequence[str],
        booker: Booker,
    ) -> Served[Narration]:
        """One normalised WAV at `out_wav` with word timings, from the first engine that works.

        `voice` is the espeak-ng voice (also the rhythm remote voices are aligned to);
        `remote_voices` maps a provider to its voice id (defaults: DEFAULT_VOICES).
        """

        def engine(name: str) -> Engine:
            return self._engine(name, voice, rate_wpm, remote_voices, booker)

        def step(name: str) -> Callable[[], Narration]:
            def run() -> Narration:
                return compose(texts, out_wav, speak_all=engine(name).speak_all,
                               gap_seconds=self.gap_seconds, target_lufs=target_lufs)  # fmt: skip

            return run

        order = self.chain(wanted)
        # A narration already paid for (an earlier run of this episode) is replayed from the
        # store before anything else is tried: a re-run then calls nobody and pays nothing,
        # even if a provider earlier in the chain has recovered since.
        replay = [name for name in order if self._replayable(engine, name, texts, booker)]
        order = replay[:1] + [name for name in order if name not in replay[:1]]
        return run_chain("narration", [(name, step(name)) for name in order])

    def voice_for(self, provider: str, voice: str, remote_voices: Mapping[str, str]) -> str:
        """The voice a provider speaks with (for the record and the UI)."""
        if provider == LOCAL:
            return voice
        if provider == PIPER:
            return PIPER_VOICE
        return remote_voices.get(provider) or DEFAULT_VOICES.get(provider, "")

    @staticmethod
    def _replayable(
        engine: Callable[[str], Engine], name: str, texts: list[str], booker: Booker
    ) -> bool:
        try:
            return engine(name).replayable(texts, booker)
        except ProviderError:  # not configured: nothing stored either
            return False

    def _engine(
        self,
        name: str,
        voice: str,
        rate_wpm: int,
        remote_voices: Mapping[str, str],
        booker: Booker,
    ) -> Engine:
        reference = espeak_reference(voice, rate_wpm)
        if name == LOCAL:
            return espeak_speaker(voice, rate_wpm, booker)
        if name == PIPER:
            return piper_speaker(rate_wpm, booker, reference)
        ep = self.endpoint(name)
        client = self._client(ep)
        prices = self.prices()

        def price(chars: int) -> float:
            return prices.per_unit("speech", ep.name, ep.model, "per_1k_chars", chars / 1000)

        remote_voice = self.voice_for(name, voice, remote_voices)
        return remote_speaker(client, remote_voice, booker, price, reference)

    def _client(self, ep: Endpoint) -> SpeechClient:
        if ep.protocol == "elevenlabs":
            return ElevenLabsSpeech(self.http(ep, {"xi-api-key": ep.api_key}), ep.model)
        headers = {"Authorization": f"Bearer {ep.api_key}"} if ep.api_key else {}
        return OpenAISpeech(self.http(ep, headers), ep.model)
