"""Music beds: music-generation APIs, a licensed library folder, then the local synthesiser.

Every successful bed is booked once through the Booker: a remote answer's audio bytes at
its price, a library or synthesised bed at $0. A re-materialization reuses the booked
answer instead of paying (or composing) again.
"""

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

from reelforge.constants import ENV_MUSIC_LIBRARY
from reelforge.defs.resources.provider_set import Endpoint, ProviderSet
from reelforge.lib import atomic, music_fit, music_library
from reelforge.lib import music as synth
from reelforge.lib.media import sha256_file
from reelforge.lib.music import Music
from reelforge.lib.providers.booking import Booker, Priced
from reelforge.lib.providers.chain import Served, run_chain
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.music_remote import (
    ElevenLabsMusic,
    MusicRequest,
    decode_payload,
    music_prompt,
    requested_seconds,
    tempo_for,
)
from reelforge.lib.providers.registry import LIBRARY, LOCAL

SYNTH = ("numpy-synth", "synth-v1")


class MusicProviders(ProviderSet):
    """Composes the episode's bed through the channel's music chain (local synth last).

    `library_path` is the licensed folder (REELFORGE_MUSIC_LIBRARY); empty: no library.
    The library is local media, so it is tried in offline mode too when it is configured.
    """

    library_path: str = ""

    def chain(self, wanted: Sequence[str]) -> list[str]:
        if self.mode != "local":
            library = [LIBRARY] if self.library_path else []
            order = list(wanted) or [*(e.name for e in self.endpoints), *library]
            return order if LOCAL in order else [*order, LOCAL]
        if self.library_path and (not wanted or LIBRARY in wanted):
            return [LIBRARY, LOCAL]
        return [LOCAL]

    def compose(
        self,
        mood: str,
        seconds: float,
        seed: int,
        out_wav: Path,
        *,
        genre: str,
        wanted: Sequence[str],
        booker: Booker,
    ) -> Served[Music]:
        """A `seconds`-long stereo bed for `mood` at out_wav, from the first provider that works."""
        job = _Job(mood, seconds, seed, out_wav, genre, booker)
        steps = [(name, self._step(name, job)) for name in self.chain(wanted)]
        return run_chain("music", steps)

    def _step(self, name: str, job: "_Job") -> Callable[[], Music]:
        if name == LOCAL:
            return job.synthesise
        if name == LIBRARY:
            return lambda: job.from_library(self.library_path)
        return lambda: self._remote(self.endpoint(name), job)

    def _remote(self, ep: Endpoint, job: "_Job") -> Music:
        if ep.protocol != "elevenlabs":
            raise ProviderError(ep.name, f"no music client for protocol {ep.protocol!r}")
        client = ElevenLabsMusic(self.http(ep, {"xi-api-key": ep.api_key}), ep.model)
        bpm = tempo_for(job.mood, job.seed)
        request = MusicRequest(
            music_prompt(job.mood, job.genre, bpm), requested_seconds(job.seconds), ep.model
        )

        def call() -> Priced:
            audio = client.generate(request)
            cost = self.prices().per_unit("music", ep.name, ep.model, "per_second", request.seconds)
            return Priced(audio, "seconds", request.seconds, cost, ".mp3")

        estimate = self.prices().per_unit("music", ep.name, ep.model, "per_second", request.seconds)
        payload, _ = job.booker.call(ep.name, ep.model, request.booking_key(), call, estimate)
        try:
            audio = decode_payload(payload, request.output_format)
        except (music_fit.AudioDecodeError, ValueError) as exc:
            raise InvalidResponseError(ep.name, f"unusable audio: {exc}") from None
        duration = music_fit.fit_bed(audio, job.seconds, job.out_wav)
        licence = {"title": f"{job.mood.capitalize()} bed, {bpm} bpm", "composer": ep.name,
                   "licence": f"{ep.name} generated (see the provider's terms)",
                   "source": "generated", "model": ep.model, "mood": job.mood}  # fmt: skip
        return Music(duration, music_fit.SAMPLE_RATE, job.mood, bpm, "", licence)


class _Job:
    """One bed request; its local sources book a JSON record pointing at the stored WAV."""

    def __init__(
        self, mood: str, seconds: float, seed: int, out_wav: Path, genre: str, booker: Booker
    ) -> None:
        self.mood, self.seconds, self.seed, self.out_wav = mood, seconds, seed, out_wav
        self.genre, self.booker = genre, booker

    def synthesise(self) -> Music:
        request = {"mood": self.mood, "seconds": self.seconds, "seed": self.seed}
        return self._booked(
            *SYNTH, request, lambda: synth.compose(self.mood, self.seconds, self.seed, self.out_wav)
        )

    def from_library(self, folder: str) -> Music:
        if not folder:
            raise ProviderError(LIBRARY, f"not configured (set {ENV_MUSIC_LIBRARY})")
        try:
            library = music_library.load(Path(folder))
            track = library.pick(self.mood, self.seed)
        except music_library.LibraryError as exc:
            raise ProviderError(LIBRARY, str(exc)) from None
        request = {"track": track.file, "sha256": sha256_file(library.path(track)),
                   "licence": track.licence, "mood": self.mood, "seconds": self.seconds,
                   "seed": self.seed}  # fmt: skip

        def render() -> Music:
            try:
                return music_library.render(library, track, self.seconds, self.out_wav, self.seed)
            except music_library.LibraryError as exc:
                raise ProviderError(LIBRARY, str(exc)) from None

        return self._booked(LIBRARY, "licensed-folder", request, render)

    def _booked(self, provider: str, model: str, request: dict, make: Callable[[], Music]) -> Music:
        store = self.booker.store

        def call() -> Priced:
            bed = make()
            record = {"music": asdict(bed), "audio_key": store.put_file(self.out_wav)}
            return Priced(json.dumps(record).encode(), "seconds", bed.duration, 0.0, ".json")

        payload, reused = self.booker.call(provider, model, request, call)
        record = json.loads(payload)
        if reused:
            if not store.exists(record["audio_key"]):
                return make()  # pruned from the store: compose again (it costs nothing)
            atomic.copy_file(store.path(record["audio_key"]), self.out_wav)
        return Music(**record["music"])
